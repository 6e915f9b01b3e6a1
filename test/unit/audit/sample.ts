/**
 * Hand-made AuditResults for the renderer and --fail-on tests: the bundled example's naive
 * Dockerfile next to init's, a second image of a compose file (measured by --build, with an
 * unknown dependency size), and hostile names for the HTML page. Figures are plausible, not
 * measured: these tests check how results are shown, not how they are estimated.
 */
import type { AuditImage, AuditResult, ImageContents, LayerCost, Scenario } from '../../../src/audit/types.js';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>"\'&api';

const NONE: ImageContents = { compilers: [], caches: [], devDeps: [], git: false, tests: false, evidence: [] };

function layer(
  line: number | null,
  instruction: string,
  changed: boolean,
  bytes: number | null,
  basis: string,
): LayerCost {
  return { line, instruction, changed, bytes, basis };
}

function scenario(s: Partial<Scenario> & Pick<Scenario, 'name' | 'change' | 'bytes'>): Scenario {
  return { rerun: [], newLayers: 0, basis: 'estimated', rests: [], layers: [], ...s };
}

const rerunAll = [
  { line: 5, instruction: 'COPY . .', stage: '0', reason: 'app/main.py changed' },
  { line: 7, instruction: 'RUN apt-get update', stage: '0', reason: 'a step above re-ran' },
  {
    line: 8,
    instruction: 'RUN apt-get install -y build-essential libpq-dev',
    stage: '0',
    reason: 'a step above re-ran',
  },
  {
    line: 10,
    instruction: 'RUN pip install -r requirements.txt -r requirements-dev.txt',
    stage: '0',
    reason: 'a step above re-ran',
  },
];

export function naiveImage(): AuditImage {
  return {
    name: 'Dockerfile',
    dockerfile: 'Dockerfile',
    context: '.',
    args: {},
    origins: [{ kind: 'dockerfile', file: 'Dockerfile' }],
    project: { dir: '.', manager: 'pip' },
    base: 'python:latest',
    scenarios: [
      scenario({
        name: 'code-change',
        change: 'one line of app/main.py',
        rerun: rerunAll,
        newLayers: 4,
        bytes: { classic: 287_400_000, containerd: 287_400_000 },
        rests: ['context files after .dockerignore, gzipped: 24 files', 'requirements.txt: pip cache, 31 wheels'],
        layers: [
          layer(null, 'python:latest', false, null, 'base image: not in the engine'),
          layer(5, 'COPY . .', true, 12_300, 'context files, gzipped'),
          layer(7, 'RUN apt-get update', true, 21_000_000, 'measured ratio of apt lists'),
          layer(8, 'RUN apt-get install -y build-essential libpq-dev', true, 160_000_000, 'Debian package sizes'),
          layer(10, 'RUN pip install -r requirements.txt -r requirements-dev.txt', true, 106_387_700, 'pip cache'),
        ],
      }),
      scenario({
        name: 'dependency-change',
        change: 'one package in requirements.txt',
        rerun: rerunAll,
        newLayers: 4,
        bytes: { classic: 287_400_000, containerd: 287_400_000 },
        rests: ['requirements.txt: pip cache, 31 wheels'],
      }),
      scenario({
        name: 'base-change',
        change: 'a new python:latest',
        rerun: [
          { line: 2, instruction: 'FROM python:latest', stage: '0', reason: 'the base image changed' },
          ...rerunAll,
        ],
        newLayers: 9,
        bytes: { classic: null, containerd: null },
        rests: ['unknown: python:latest is not in the engine and no registry was asked'],
      }),
    ],
    contents: {
      compilers: ['build-essential', 'gcc'],
      caches: ['/root/.cache/pip'],
      devDeps: ['requirements-dev.txt'],
      git: true,
      tests: true,
      evidence: ['Dockerfile:8 apt-get install build-essential', 'Dockerfile:5 COPY . . (no .dockerignore)'],
    },
    findings: [
      {
        rule: 'LW2001',
        name: 'deps-after-source-copy',
        category: 'cache',
        severity: 'warning',
        file: 'Dockerfile',
        line: 10,
        column: 1,
        message: 'pip install runs after COPY . .: every code change re-installs every dependency',
        fix: 'copy requirements.txt first, install, then COPY the rest',
        fixable: false,
        cost: {
          bytesPerDeploy: 266_387_700,
          scenario: 'code-change',
          why: 'the install and the apt layers re-ship',
        },
      },
      {
        rule: 'LW3403',
        name: 'build-tools-in-final-stage',
        category: 'size',
        severity: 'warning',
        file: 'Dockerfile',
        line: 8,
        column: 5,
        message: 'build-essential, libpq-dev stay in the final image',
        fix: 'install them in a builder stage, copy the built virtualenv into this stage',
        fixable: false,
        cost: {
          bytesPerDeploy: 160_000_000,
          scenario: 'base-change',
          why: 'the layer re-ships with every base change',
        },
      },
      {
        rule: 'LW2405',
        name: 'dockerignore-missing',
        category: 'cache',
        severity: 'warning',
        file: 'Dockerfile',
        line: 5,
        column: 1,
        message: 'no .dockerignore, and COPY . . sends everything in the context into the build',
        fix: 'add a .dockerignore',
        fixable: true,
        cost: { bytesPerDeploy: 8_000, scenario: 'code-change', why: '.git and tests in the COPY layer' },
      },
      {
        rule: 'LW4102',
        name: 'image-latest-tag',
        category: 'determinism',
        severity: 'warning',
        file: 'Dockerfile',
        line: 2,
        column: 1,
        message: 'FROM python:latest uses the moving latest tag',
        fix: 'pin a release tag, e.g. python:<version>',
        fixable: false,
        cost: { bytesPerDeploy: null, why: 'every base release re-ships everything' },
      },
      ...[7, 8].map((line) => ({
        rule: 'LW3101',
        name: 'apt-lists-not-deleted',
        category: 'size' as const,
        severity: 'info' as const,
        file: 'Dockerfile',
        line,
        column: 5,
        message: 'apt-get update leaves its package lists in the layer',
        fixable: true,
        cost: { bytesPerDeploy: null, why: 'no cost per deploy' },
      })),
    ],
    alternative: {
      files: [
        { path: 'Dockerfile', text: 'FROM python:3.12-slim AS build\n# ...\n' },
        { path: '.dockerignore', text: '.git\n.venv\n' },
      ],
      dockerfile: 'Dockerfile',
      target: 'runtime',
      scenarios: [
        scenario({
          name: 'code-change',
          change: 'one line of app/main.py',
          rerun: [{ line: 24, instruction: 'COPY app ./app', stage: 'runtime', reason: 'app/main.py changed' }],
          newLayers: 1,
          bytes: { classic: 6_180, containerd: 6_180 },
        }),
        scenario({
          name: 'dependency-change',
          change: 'one package in requirements.txt',
          rerun: [
            { line: 12, instruction: 'RUN pip install ...', stage: 'build', reason: 'requirements.txt changed' },
            { line: 20, instruction: 'COPY --from=build /venv /venv', stage: 'runtime', reason: 'a step above re-ran' },
            { line: 24, instruction: 'COPY app ./app', stage: 'runtime', reason: 'a step above re-ran' },
          ],
          newLayers: 2,
          bytes: { classic: 104_900_000, containerd: 104_900_000 },
        }),
        scenario({
          name: 'base-change',
          change: 'a new python:3.12-slim',
          newLayers: 6,
          bytes: { classic: null, containerd: null },
        }),
      ],
      contents: NONE,
    },
    notes: ['no lock file: dependency sizes come from the pip cache'],
  };
}

/** A compose service built from another context, with --build figures and a build arg. */
export function composeImage(): AuditImage {
  return {
    name: 'worker',
    dockerfile: 'worker/Dockerfile',
    context: 'worker',
    target: 'prod',
    args: { PYTHON_VERSION: '3.12' },
    origins: [{ kind: 'compose', file: 'compose.yaml', line: 9, detail: 'services.worker' }],
    project: { dir: 'worker', manager: 'uv', lockFile: 'uv.lock' },
    base: 'python:3.12-slim',
    scenarios: [
      scenario({
        name: 'code-change',
        change: 'one line of worker/src/worker/main.py',
        rerun: [{ line: 14, instruction: 'COPY src ./src', stage: 'prod', reason: 'src/worker/main.py changed' }],
        newLayers: 1,
        bytes: { classic: 2_480, containerd: 2_480 },
        basis: 'measured',
        rests: ['built twice and diffed'],
      }),
      scenario({
        name: 'dependency-change',
        change: 'one package in uv.lock',
        rerun: [
          { line: 10, instruction: 'RUN uv sync --locked', stage: 'prod', reason: 'uv.lock changed' },
          { line: 14, instruction: 'COPY src ./src', stage: 'prod', reason: 'a step above re-ran' },
        ],
        newLayers: 2,
        bytes: { classic: null, containerd: 2_480 },
        rests: ['unknown: uv.lock records no size for numpy 2.1.0 (sdist only)'],
      }),
      scenario({
        name: 'build-arg:PYTHON_VERSION',
        change: 'another PYTHON_VERSION',
        newLayers: 5,
        bytes: { classic: 61_000_000, containerd: 61_000_000 },
      }),
    ],
    contents: NONE,
    findings: [],
    alternative: null,
    notes: ['init writes nothing for a uv workspace member without --package'],
  };
}

export function sampleResult(): AuditResult {
  return {
    version: 1,
    root: '/work/shop',
    images: [naiveImage(), composeImage()],
    warnings: ['compose.yaml: services.docs uses dockerfile_inline; not audited'],
    toolVersion: '0.1.0',
  };
}

/** A result whose names and texts try to break out of the HTML page. */
export function hostileResult(): AuditResult {
  const r = sampleResult();
  r.images[0].name = HOSTILE_NAME;
  r.images[0].findings[0].message = '</script><script>alert(2)</script>';
  r.images[0].alternative!.files[0].text = '<script>alert(3)</script>\n';
  r.warnings.push('<b>bold</b>');
  return r;
}
