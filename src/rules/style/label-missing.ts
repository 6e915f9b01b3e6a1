import type { Dockerfile, Stage } from '../../dockerfile/types.js';
import { unquoteKey } from '../lib/labels.js';
import type { Rule } from '../types.js';
import { finalStage, stageChain } from '../util.js';

/**
 * Stages that become images: the final stage, and any unnamed stage no other stage builds on or
 * copies from. A named stage that nothing uses is a `--target` (test, dev) built on purpose.
 */
function imageStages(file: Dockerfile): Stage[] {
  const last = finalStage(file);
  const used = new Set(file.stages.flatMap((s) => s.dependsOn));
  return file.stages.filter((s) => s === last || (s.name === undefined && !used.has(s.index)));
}

export const rule: Rule = {
  meta: {
    id: 'LW6502',
    name: 'label-missing',
    category: 'style',
    severity: 'info',
    summary: 'An image lacks a label the label schema requires.',
    description:
      'With a label schema configured (`label-schema` in layerwise.toml, `[tool.layerwise]` or .hadolint.yaml), ' +
      'every label of the schema must be on the image. Labels set in the stage or in the stages it is built FROM ' +
      'count. Checked on the final stage and on unnamed stages nothing else uses; a named stage that nothing uses ' +
      '(a `--target` like `test`) is not. Differs from hadolint on purpose: hadolint exempts every stage that has ' +
      'a name (`AS ...`), assuming it is not the last one; here the final stage is checked whatever its name.',
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.source="https://github.com/example/app"\n',
    good:
      'FROM python:3.12-slim\nLABEL org.opencontainers.image.source="https://github.com/example/app" \\\n' +
      '      org.opencontainers.image.version="1.4.0"\n',
    exampleSettings: {
      labelSchema: { 'org.opencontainers.image.source': 'url', 'org.opencontainers.image.version': 'semver' },
    },
    fixable: false,
    aliases: ['DL3049'],
  },
  check(ctx) {
    const required = Object.keys(ctx.settings.labelSchema);
    if (!required.length) return;
    const file = ctx.file;
    for (const stage of imageStages(file)) {
      const have = new Set(
        stageChain(file, stage).flatMap((s) =>
          s.instructions.filter((i) => i.keyword === 'LABEL').flatMap((i) => i.pairs.map((p) => unquoteKey(p.key))),
        ),
      );
      for (const name of required) {
        if (have.has(name)) continue;
        ctx.report({
          line: stage.from.span.start.line,
          column: stage.from.span.start.column,
          message: `label \`${name}\` is missing from the image of ${stage.name ? `stage ${stage.name}` : 'this stage'}; add LABEL ${name}=...`,
        });
      }
    }
  },
};
