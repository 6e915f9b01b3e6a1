/**
 * The terminal report of `layerwise audit`: per image one screen, a before/after table of what a
 * deploy pulls after each kind of change (current Dockerfile vs init's), what the final image
 * carries, then the findings that cost most. Figures measured by `--build` carry a `*`; the rest
 * are estimates, and an unknown figure says why below the table.
 */
import pc from 'picocolors';
import { humanBytes } from '../image/thresholds.js';
import { checkValue } from './fail-on.js';
import type { AuditImage, AuditResult, ImageContents, RankedFinding, Scenario } from './types.js';

export interface TextOptions {
  color?: boolean;
  /** Findings shown per image (default 5). */
  top?: number;
  /** Columns to wrap and cut text at (default 100); the table is as wide as its figures. */
  width?: number;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Renders the whole audit as text (ends with a newline). */
export function auditText(result: AuditResult, opts: TextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  for (const w of result.warnings) out.push(c.yellow(`warning: ${w}`));
  if (result.warnings.length) out.push('');
  result.images.forEach((image, i) => {
    if (i) out.push('');
    out.push(...imageText(image, c, opts.top ?? 5, Math.max(60, opts.width ?? 100)));
  });
  out.push('', ...footer(result, c, Math.max(60, opts.width ?? 100)));
  return `${out.join('\n')}\n`;
}

/** Display name of a scenario: `code change`, `build arg PYTHON`. */
export function scenarioLabel(name: string): string {
  return name.startsWith('build-arg:') ? `build arg ${name.slice(10)}` : name.replace('-', ' ');
}

/** Bytes in human units, `*` when measured, `unknown` when null. */
export function fmtBytes(n: number | null, measured: boolean): string {
  if (n === null) return 'unknown';
  return `${humanBytes(n)}${measured ? '*' : ''}`;
}

export function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** Words of `text` in lines of at most `width` columns, each starting with `indent` (`first` for the first). */
export function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && visible(line) + 1 + visible(word) > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function imageText(image: AuditImage, c: Colors, top: number, width: number): string[] {
  const out: string[] = [c.bold(image.name)];
  const where = [
    `${image.dockerfile}${image.target ? ` --target ${image.target}` : ''}, context ${image.context}`,
    ...image.origins
      .filter((o) => o.kind !== 'dockerfile')
      .map((o) => `${o.file}${o.line ? `:${o.line}` : ''}${o.detail ? ` ${o.detail}` : ''}`),
    image.project
      ? `${image.project.manager}${image.project.lockFile ? ` (${image.project.lockFile})` : ', no lock'}`
      : 'no Python project',
    image.base ? `FROM ${image.base}` : '',
  ].filter(Boolean);
  out.push(...wrap(where.join(' · '), width, '  ').map((l) => c.dim(l)));
  out.push('', ...scenarioTable(image, c));
  const changes = image.scenarios
    .filter((s) => s.name === 'code-change' || s.name === 'dependency-change')
    .map((s) => `${scenarioLabel(s.name)}: ${s.change}`);
  if (changes.length) out.push(c.dim(`  (${changes.join(' · ')})`));
  out.push('', ...contentsText(image, c, width));
  const findings = findingsText(image.findings, c, top, width);
  if (findings.length) out.push('', ...findings);
  for (const n of image.notes) out.push(...wrap(n, width, '        ', '  note: ').map((l) => c.dim(l)));
  const unknown = unknownReasons(image);
  if (unknown.length) out.push(c.dim('  unknown because'), ...unknown.map((u) => c.dim(cut(`    ${u}`, width))));
  return out;
}

/** Right-aligned cells in columns wide enough for every row. */
export function columns(rows: string[][], align: ('l' | 'r')[], gap: number[]): string[] {
  const width = align.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat(width[i] - visible(cell));
        return (i ? ' '.repeat(gap[i]) : '') + (align[i] === 'l' ? cell + pad : pad + cell);
      })
      .join('')
      .trimEnd(),
  );
}

// Colour codes take no room on screen.
export const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

function scenarioTable(image: AuditImage, c: Colors): string[] {
  const alt = image.alternative;
  const cells = (s: Scenario | undefined): string[] => {
    if (!s) return ['—', '—', '—'];
    const m = s.basis === 'measured';
    return [fmtBytes(s.bytes.classic, m), fmtBytes(s.bytes.containerd, m), plural(s.rerun.length, 'step')];
  };
  const head = ['  a deploy after', 'classic', 'containerd', 're-runs'];
  const rows: string[][] = [alt ? [...head, 'classic', 'containerd', 're-runs'] : head];
  for (const s of image.scenarios) {
    const row = ['  ' + scenarioLabel(s.name), ...cells(s)];
    if (alt) row.push(...cells(alt.scenarios.find((x) => x.name === s.name)));
    rows.push(row);
  }
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r'].slice(0, rows[0].length) as ('l' | 'r')[];
  const lines = columns(rows, align, [0, 3, 2, 2, 5, 2, 2]);
  // The group titles sit over their three columns: measured from the laid-out header.
  const header = lines[0];
  const firstGroup = header.indexOf('classic');
  const secondGroup = alt ? header.indexOf('classic', firstGroup + 1) : -1;
  let groups = ' '.repeat(firstGroup) + 'current Dockerfile';
  if (alt) groups = groups.padEnd(secondGroup) + "init's Dockerfile";
  return [c.bold(groups), c.dim(header), ...lines.slice(1)];
}

function contentsList(k: ImageContents): string {
  const parts = [
    k.compilers.length ? `compilers ${k.compilers.join(', ')}` : '',
    k.caches.length ? `caches ${k.caches.join(', ')}` : '',
    k.devDeps.length ? `dev deps ${k.devDeps.join(', ')}` : '',
    k.git ? '.git' : '',
    k.tests ? 'tests' : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'nothing a runtime image should not';
}

function contentsText(image: AuditImage, c: Colors, width: number): string[] {
  const now = contentsList(image.contents);
  if (!image.alternative) return wrap(now, width, ' '.repeat(22), '  final image carries ');
  const alt = contentsList(image.alternative.contents);
  const pad = ' '.repeat(32);
  return [
    ...wrap(now, width, pad, `  final image carries  ${c.dim('current:')} `),
    ...wrap(alt, width, pad, `                       ${c.dim("init's:")}  `),
  ];
}

function findingCost(f: RankedFinding): string {
  if (f.cost.bytesPerDeploy === null) return f.cost.why;
  return `${humanBytes(f.cost.bytesPerDeploy)} per ${f.cost.scenario ? scenarioLabel(f.cost.scenario) : 'deploy'}`;
}

function findingsText(findings: RankedFinding[], c: Colors, top: number, width: number): string[] {
  if (!findings.length || top < 1) return [];
  const shown = findings.slice(0, top);
  const files = [...new Set(findings.map((f) => f.file))];
  const rest = findings.length - shown.length;
  const out = [
    `  ${c.bold('Findings, costliest first')}${rest ? c.dim(` (${shown.length} of ${findings.length}; all: layerwise lint ${files.join(' ')})`) : ''}`,
  ];
  const at = shown.map((f) => `${f.file}:${f.line}`);
  const w = Math.max(...at.map((s) => s.length));
  shown.forEach((f, i) => {
    const cost = f.cost.bytesPerDeploy === null ? c.dim(findingCost(f)) : c.yellow(findingCost(f));
    out.push(`  ${at[i].padEnd(w)}  ${cost}  ${c.dim(`${f.rule} ${f.name}${f.fixable ? ', --fix' : ''}`)}`);
    const pad = ' '.repeat(w + 4);
    out.push(...wrap(f.message, width, pad));
    if (f.fix) out.push(...wrap(f.fix, width, `${pad}     `, `${pad}${c.green('fix:')} `));
  });
  return out;
}

/**
 * Why figures are unknown, once each however many scenarios share the reason: the lines of the
 * scenarios' `rests` that say `unknown`, with `line N:` made `FILE:N` (the current Dockerfile or
 * init's) so they read like findings. The text report cuts them to one line; the JSON keeps them whole.
 */
export function unknownReasons(image: AuditImage): string[] {
  const out = new Set<string>();
  const visit = (s: Scenario, file: string, base: string) => {
    if (s.bytes.classic !== null && s.bytes.containerd !== null) return;
    for (const r of s.rests) {
      if (!/\bunknown\b/.test(r) || /leaves the total unknown/.test(r)) continue;
      const text = r
        .replace(/^line (\d+): /, `${file}:$1: `)
        .replace(/^base: /, `${base}: `)
        .replace(/(^|: )unknown: /, '$1');
      out.add(text);
    }
  };
  for (const s of image.scenarios) visit(s, image.dockerfile, 'base image');
  for (const s of image.alternative?.scenarios ?? []) visit(s, "init's Dockerfile", "init's base image");
  return [...out];
}

function footer(result: AuditResult, c: Colors, width: number): string[] {
  const out: string[] = [];
  const measured = result.images.some((i) =>
    [...i.scenarios, ...(i.alternative?.scenarios ?? [])].some((s) => s.basis === 'measured'),
  );
  const say = (text: string) => out.push(...wrap(text, width, '').map((l) => c.dim(l)));
  say(
    "Bytes a host holding the previous image pulls: classic = Docker's classic store (every layer above the first new one), containerd = only new layers.",
  );
  say(
    measured
      ? '* measured by building twice and diffing the images (--build); other figures are estimates.'
      : 'Estimated before building, from the context, the lock and the base image; --build measures them.',
  );
  const fixable = result.images.reduce((n, i) => n + i.findings.filter((f) => f.fixable).length, 0);
  const alternatives = result.images.filter((i) => i.alternative).length;
  const hints = [
    fixable ? `--fix applies lint's safe fixes (${plural(fixable, 'finding')})` : '',
    alternatives ? `--write-alternative writes init's files` : '',
  ].filter(Boolean);
  if (hints.length) say(`${hints.join('; ')}.`);
  if (result.checks?.length) {
    out.push('');
    for (const k of result.checks) {
      const mark = k.failed ? c.red('FAIL') : k.value === null ? c.yellow('??  ') : c.green('ok  ');
      out.push(`${mark}  ${k.condition}  ${c.dim(`${k.image}: ${checkValue(k)}`)}`);
    }
  }
  return out;
}
