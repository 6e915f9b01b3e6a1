/**
 * Renders docs/rules.md from rule metadata (never written by hand): an index table, where the
 * rules come from, an alias lookup for hadolint and Docker build-check users, then one section
 * per rule with its failing and passing example. `npm run docs` writes the file; a unit test
 * fails when it is stale.
 */
import type { ExampleContext, Rule, RuleMeta } from './types.js';

export type Origin = 'hadolint' | 'buildkit' | 'layerwise';

export function isHadolintAlias(alias: string): boolean {
  return /^DL\d+$/.test(alias);
}

/** Where a rule's intent comes from; a rule can match both a hadolint rule and a build check. */
export function origins(meta: RuleMeta): Origin[] {
  if (meta.aliases.length === 0) return ['layerwise'];
  const out: Origin[] = [];
  if (meta.aliases.some(isHadolintAlias)) out.push('hadolint');
  if (meta.aliases.some((a) => !isHadolintAlias(a))) out.push('buildkit');
  return out;
}

function metaOf(r: Rule | RuleMeta): RuleMeta {
  return 'meta' in r ? r.meta : r;
}

/** GitHub's heading anchor for `### ID name`. */
export function anchor(meta: RuleMeta): string {
  return `${meta.id} ${meta.name}`
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return `\`${s}\``;
}

function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

/** The example's build context, when the rule depends on it (files present, .dockerignore). */
function contextNote(ctx: ExampleContext | undefined): string {
  if (!ctx) return '';
  const out: string[] = [];
  if (ctx.files && ctx.files.length > 0) out.push(`Build context files: ${ctx.files.map(code).join(', ')}.`);
  if (ctx.dockerignore === undefined) out.push('No `.dockerignore`.');
  else out.push(`\`.dockerignore\`:\n\n${fence(ctx.dockerignore || '# (empty)', 'text')}`);
  return out.join('\n\n');
}

export function renderRulesDoc(rules: readonly (Rule | RuleMeta)[]): string {
  const metas = rules.map(metaOf).sort((a, b) => a.id.localeCompare(b.id));
  const hadolint = new Set(metas.flatMap((m) => m.aliases.filter(isHadolintAlias)));
  const buildkit = new Set(metas.flatMap((m) => m.aliases.filter((a) => !isHadolintAlias(a))));
  const own = metas.filter((m) => m.aliases.length === 0).length;
  const fixable = metas.filter((m) => m.fixable).length;
  const off = metas.filter((m) => m.defaultOff).length;

  const out: string[] = [];
  out.push('# layerwise rules');
  out.push('');
  out.push('<!-- Generated from the rule metadata by `npm run docs` (src/rules/docs.ts); do not edit. -->');
  out.push('');
  out.push(
    `${metas.length} rules: ${fixable} fixable with \`layerwise lint --fix\`` +
      `${off > 0 ? `, ${off} off by default (enable those in configuration)` : ''}.`,
  );
  out.push('');
  out.push('| Origin | Covered |');
  out.push('|---|---|');
  out.push(`| hadolint rules (\`DL\` codes) | ${hadolint.size} |`);
  out.push(`| Docker build checks | ${buildkit.size} |`);
  out.push(`| layerwise's own rules | ${own} |`);
  out.push('');
  out.push(
    'Suppress a rule for the next instruction with `# layerwise ignore=ID-or-name`; ' +
      '`# hadolint ignore=DLxxxx` and `# check=skip=Name` work through the aliases below.',
  );
  out.push('');
  out.push('## Index');
  out.push('');
  out.push('| ID | Name | Category | Severity | Fixable | Aliases | Summary |');
  out.push('|---|---|---|---|---|---|---|');
  for (const m of metas) {
    out.push(
      `| [${m.id}](#${anchor(m)}) | ${m.name} | ${m.category} | ${m.severity}${m.defaultOff ? ' (off)' : ''} | ${
        m.fixable ? 'yes' : ''
      } | ${m.aliases.map(code).join(', ')} | ${cell(m.summary)} |`,
    );
  }
  out.push('');

  const aliasRows = metas
    .flatMap((m) => m.aliases.map((a) => ({ a, m })))
    .sort((x, y) => x.a.localeCompare(y.a, 'en', { numeric: true }));
  if (aliasRows.length > 0) {
    out.push('## Aliases');
    out.push('');
    out.push('hadolint codes and Docker build check names, and the layerwise rule that covers each.');
    out.push('');
    out.push('| Alias | Origin | Rule |');
    out.push('|---|---|---|');
    for (const { a, m } of aliasRows) {
      out.push(
        `| ${code(a)} | ${isHadolintAlias(a) ? 'hadolint' : 'Docker build check'} | [${m.id} ${m.name}](#${anchor(m)}) |`,
      );
    }
    out.push('');
  }

  out.push('## Rules');
  for (const m of metas) out.push('', renderRuleDoc(m));
  return `${out.join('\n')}\n`;
}

/**
 * One rule's documentation in Markdown (a section of docs/rules.md, and `layerwise rules ID`):
 * summary, description, facts, then the failing and the passing example. No trailing newline.
 */
export function renderRuleDoc(rule: Rule | RuleMeta, headingLevel = 3): string {
  const m = metaOf(rule);
  const out: string[] = [];
  out.push(`${'#'.repeat(headingLevel)} ${m.id} ${m.name}`);
  out.push('');
  out.push(cell(m.summary));
  out.push('');
  out.push(m.description);
  out.push('');
  out.push(`- Category: ${m.category}`);
  out.push(`- Severity: ${m.severity}${m.defaultOff ? ' (off by default)' : ''}`);
  out.push(`- Fixable: ${m.fixable ? 'yes' : 'no'}`);
  out.push(`- Aliases: ${m.aliases.length > 0 ? m.aliases.map(code).join(', ') : 'none (layerwise only)'}`);
  const settings = Object.entries(m.exampleSettings ?? {});
  if (settings.length > 0) {
    const list = settings.map(([k, v]) => code(`${k} = ${JSON.stringify(v)}`)).join(', ');
    out.push('', `The examples are linted with these settings: ${list}.`);
  }
  out.push('');
  out.push('Fails:');
  out.push('');
  out.push(fence(m.bad, 'dockerfile'));
  const badCtx = contextNote(m.badContext);
  if (badCtx) out.push('', badCtx);
  out.push('');
  out.push('Passes:');
  out.push('');
  out.push(fence(m.good, 'dockerfile'));
  const goodCtx = contextNote(m.goodContext);
  if (goodCtx) out.push('', goodCtx);
  return out.join('\n');
}
