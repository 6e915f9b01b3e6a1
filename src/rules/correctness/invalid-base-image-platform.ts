import type { Rule } from '../types.js';

/** Docker Hub namespaces that hold single-architecture builds of the official images. */
const ARCH_NAMESPACES: Record<string, string> = {
  amd64: 'linux/amd64',
  arm64v8: 'linux/arm64',
  arm32v7: 'linux/arm/v7',
  arm32v6: 'linux/arm/v6',
  arm32v5: 'linux/arm/v5',
  i386: 'linux/386',
  ppc64le: 'linux/ppc64le',
  s390x: 'linux/s390x',
  riscv64: 'linux/riscv64',
  mips64le: 'linux/mips64le',
  'windows-amd64': 'windows/amd64',
};

/** os/arch[/variant], lower case; arm64's default variant v8 dropped. */
function normalise(p: string): string[] {
  const parts = p.toLowerCase().trim().split('/');
  if (parts[1] === 'arm64' && parts[2] === 'v8') parts.length = 2;
  if (parts[1] === 'x86_64') parts[1] = 'amd64';
  if (parts[1] === 'aarch64') parts[1] = 'arm64';
  return parts;
}

function samePlatform(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  if (x[0] !== y[0] || x[1] !== y[1]) return false;
  return !x[2] || !y[2] || x[2] === y[2];
}

export const rule: Rule = {
  meta: {
    id: 'LW1312',
    name: 'invalid-base-image-platform',
    category: 'correctness',
    severity: 'warning',
    summary: 'FROM --platform asks for a platform the base image is not built for.',
    description:
      "BuildKit compares the pulled image's platform with the one the stage expects; that full check needs the image. " +
      'Statically this rule reports what the Dockerfile alone proves: a constant --platform on a single-architecture ' +
      'image (`arm64v8/python` with `--platform=linux/amd64`), or on an earlier stage pinned to another constant platform.',
    bad: 'FROM --platform=linux/amd64 arm64v8/python:3.12-slim AS app_amd64\nCMD ["python", "app.py"]\n',
    good: 'FROM --platform=linux/amd64 python:3.12-slim AS app_amd64\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: ['InvalidBaseImagePlatform'],
  },
  check(ctx) {
    const { file } = ctx;
    const constant = (v: string | undefined) => (v && !v.includes('$') ? v : undefined);
    for (const stage of file.stages) {
      const wanted = constant(stage.from.flags.find((f) => f.name === 'platform')?.value);
      if (!wanted) continue;
      let actual: string | undefined;
      let what: string;
      if (stage.base.stage !== undefined) {
        const parent = file.stages[stage.base.stage];
        actual = constant(parent.base.platform);
        what = `stage '${parent.name ?? parent.index}'`;
      } else {
        if (stage.base.dynamic) continue;
        const name = stage.base.name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
        const ns = name.includes('/') ? name.split('/')[0] : '';
        actual = ARCH_NAMESPACES[ns];
        what = `image '${stage.base.resolved}'`;
      }
      if (!actual || samePlatform(actual, wanted)) continue;
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `Base ${what} is built for ${actual}, but FROM asks for --platform=${wanted}; use an image or stage for ${wanted}, or drop the constant --platform`,
      });
    }
  },
};
