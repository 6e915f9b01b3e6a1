/**
 * A GitHub Actions workflow: buildx, a registry build cache (--cache-from/--cache-to
 * type=registry), tags from the branch, tag and commit; with --split-base, `layerwise ship` builds
 * and pushes the base only when its fingerprint has no image yet, then the app on it.
 */
import type { PythonProject } from '../project/types.js';
import { VERSION } from '../version.js';

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
    ...(o.splitBase
      ? [
          '# Written by `layerwise init`. `layerwise ship` builds and pushes the dependency base only when its',
          '# fingerprint (lock, Dockerfile.base, FROM digest) has no image yet, then the app FROM it by digest.',
        ]
      : [
          '# Written by `layerwise init`. Builds and pushes the image with buildx; the build cache lives in the',
          '# registry (:buildcache), so a runner without local cache still reuses the dependency layers.',
        ]),
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
  if (o.splitBase && !p.dynamicVersion)
    lines.push(
      '        with:',
      "          fetch-depth: 0 # ship dates the base by the lock's last commit (SOURCE_DATE_EPOCH)",
    );
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
  );
  if (o.splitBase) {
    // `layerwise ship` does the base/app loop: the base is built and pushed only when its
    // fingerprint (lock, Dockerfile.base, FROM digest, platform) has no image yet; the app is
    // built FROM it by digest and pushed with the commit's tag (and the version on a tag) and `live`.
    const ship = `npx --yes layerwise@${VERSION} ship ${sub ? `${sub} ` : ''}`;
    const versionFlag = p.dynamicVersion ? ' --build-arg "APP_VERSION=${{ steps.version.outputs.version }}"' : '';
    lines.push(
      '      - uses: actions/setup-node@v4',
      '        with:',
      "          node-version: '20'",
      "      - name: The base's fingerprint (pull requests push nothing)",
      "        if: github.event_name == 'pull_request'",
      `        run: ${ship}--fingerprint${versionFlag}`,
      '      - name: Ship the base (only when its fingerprint is new), then the app on it',
      "        if: github.event_name != 'pull_request'",
      `        run: ${ship}--repo "$IMAGE"${versionFlag}`,
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
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
  if (versionArg) lines.push(`          build-args: |${versionArg}`);
  return `${lines.join('\n')}\n`;
}
