/**
 * A GitHub Actions workflow: buildx, a registry build cache (--cache-from/--cache-to
 * type=registry), tags from the branch, tag and commit; with --split-base, the base image is
 * built only when its fingerprint has no image yet.
 */
import type { PythonProject } from '../project/types.js';
import { fingerprintShell } from './fingerprint.js';

export interface WorkflowOptions {
  splitBase: boolean;
  /**
   * The build context relative to the repository top, where the workflow lives ('' or absent:
   * the top itself). The builds then name that context and its Dockerfile, the image is named
   * after the project under the repository, and only changes under it run the workflow.
   */
  contextDir?: string;
}

export function renderWorkflow(p: PythonProject, o: WorkflowOptions): string {
  const sub = o.contextDir ?? '';
  const ctx = sub || '.';
  const file = (name: string) => (sub ? `${sub}/${name}` : name);
  const imageSuffix = sub
    ? `/${(p.workspace?.selected?.name ?? p.name ?? 'app').toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`
    : '';
  const paths = sub ? [`    paths: ['${sub}/**', '.github/workflows/**']`] : [];
  const versionArg = p.dynamicVersion ? '\n            APP_VERSION=${{ steps.version.outputs.version }}' : '';
  const lines: string[] = [
    '# Written by `layerwise init`. Builds and pushes the image with buildx; the build cache lives in the',
    '# registry (:buildcache), so a runner without local cache still reuses the dependency layers.',
    '# Set the repository variable REGISTRY (your registry host) and the secrets REGISTRY_USER / REGISTRY_PASSWORD.',
    'name: image',
    'on:',
    '  push:',
    '    branches: [main]',
    "    tags: ['v*']",
    ...paths,
    '  pull_request:',
    ...paths,
    'env:',
    `  IMAGE: \${{ vars.REGISTRY }}/\${{ github.repository }}${imageSuffix}`,
    'jobs:',
    '  image:',
    '    runs-on: ubuntu-latest',
    '    permissions:',
    '      contents: read',
    '      packages: write',
    '    steps:',
    '      - uses: actions/checkout@v4',
  ];
  if (p.dynamicVersion) {
    lines.push(
      '        with:',
      '          fetch-depth: 0 # the version comes from git tags; .git itself never enters the build context',
      '      - name: Version from git (PEP 440)',
      '        id: version',
      ...(sub ? [`        working-directory: ${sub}`] : []),
      '        run: |',
      '          pip install --quiet setuptools-scm',
      '          echo "version=$(python -m setuptools_scm)" >> "$GITHUB_OUTPUT"',
    );
  }
  lines.push(
    '      - uses: docker/setup-buildx-action@v3',
    '      - uses: docker/login-action@v3',
    "        if: github.event_name != 'pull_request'",
    '        with:',
    '          registry: ${{ vars.REGISTRY }}',
    '          username: ${{ secrets.REGISTRY_USER }}',
    '          password: ${{ secrets.REGISTRY_PASSWORD }}',
    '      - id: meta',
    '        uses: docker/metadata-action@v5',
    '        with:',
    '          images: ${{ env.IMAGE }}',
    '          tags: |',
    '            type=ref,event=branch',
    '            type=ref,event=pr',
    '            type=semver,pattern={{version}}',
    '            type=sha',
  );
  let baseArg = '';
  if (o.splitBase) {
    lines.push(
      '      - name: Base image tag (fingerprint of the lock, Dockerfile.base and the Python version)',
      '        id: base',
      ...(sub ? [`        working-directory: ${sub}`] : []),
      '        run: |',
      `          fp=$(${fingerprintShell(p.python.version, p.depFiles)})`,
      '          echo "ref=${IMAGE}-base:${fp}" >> "$GITHUB_OUTPUT"',
      '          if docker buildx imagetools inspect "${IMAGE}-base:${fp}" > /dev/null 2>&1; then',
      '            echo "exists=true" >> "$GITHUB_OUTPUT"',
      '          else',
      '            echo "exists=false" >> "$GITHUB_OUTPUT"',
      '          fi',
      '      - name: Build and push the base (only when no image has this fingerprint yet)',
      "        if: steps.base.outputs.exists != 'true' && github.event_name != 'pull_request'",
      '        uses: docker/build-push-action@v6',
      '        with:',
      `          context: ${ctx}`,
      `          file: ${file('Dockerfile.base')}`,
      '          push: true',
      '          tags: ${{ steps.base.outputs.ref }}',
      '          cache-from: type=registry,ref=${{ env.IMAGE }}-base:buildcache',
      '          cache-to: type=registry,ref=${{ env.IMAGE }}-base:buildcache,mode=max',
    );
    baseArg = '\n            BASE_IMAGE=${{ steps.base.outputs.ref }}';
  }
  const args = `${baseArg}${versionArg}`;
  lines.push(
    '      - name: Build and push the image',
    '        uses: docker/build-push-action@v6',
    '        with:',
    `          context: ${ctx}`,
    ...(sub ? [`          file: ${file('Dockerfile')}`] : []),
    "          push: ${{ github.event_name != 'pull_request' }}",
    '          tags: ${{ steps.meta.outputs.tags }}',
    '          labels: ${{ steps.meta.outputs.labels }}',
    '          cache-from: type=registry,ref=${{ env.IMAGE }}:buildcache',
    "          cache-to: ${{ github.event_name != 'pull_request' && format('type=registry,ref={0}:buildcache,mode=max', env.IMAGE) || '' }}",
  );
  if (args) lines.push(`          build-args: |${args}`);
  return `${lines.join('\n')}\n`;
}
