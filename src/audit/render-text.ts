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
    out.push(...imageText(image, c, opts.top ?? 5));
  });
  out.push('', ...footer(result, c));
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

function imageText(image: AuditImage, c: Colors, top: number): string[] {
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
  out.push(c.dim(where.join(' · ')));
  out.push('', ...scenarioTable(image, c));
  const changes = image.scenarios
    .filter((s) => s.name === 'code-change' || s.name === 'dependency-change')
    .map((s) => `${scenarioLabel(s.name)}: ${s.change}`);
  if (changes.length) out.push(c.dim(`  (${changes.join(' · ')})`));
  out.push('', ...contentsText(image, c));
  const findings = findingsText(image.findings, c, top);
  if (findings.length) out.push('', ...findings);
  for (const n of image.notes) out.push(c.dim(`  note: ${n}`));
  const unknown = unknownReasons(image);
  if (unknown.length) out.push(c.dim('  unknown because'), ...unknown.map((u) => c.dim(`    ${u}`)));
  return out;
}

/** Right-aligned cells in columns wide enough for every row. */
function columns(rows: string[][], align: ('l' | 'r')[], gap: number[]): string[] {
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
const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

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

function contentsText(image: AuditImage, c: Colors): string[] {
  const now = contentsList(image.contents);
  if (!image.alternative) return [`  final image carries ${now}`];
  const alt = contentsList(image.alternative.contents);
  return [`  final image carries  ${c.dim('current:')} ${now}`, `                       ${c.dim("init's:")}  ${alt}`];
}

function findingCost(f: RankedFinding): string {
  if (f.cost.bytesPerDeploy === null) return f.cost.why;
  return `${humanBytes(f.cost.bytesPerDeploy)} per ${f.cost.scenario ? scenarioLabel(f.cost.scenario) : 'deploy'}`;
}

function findingsText(findings: RankedFinding[], c: Colors, top: number): string[] {
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
    out.push(`  ${' '.repeat(w)}  ${f.message}`);
    if (f.fix) out.push(`  ${' '.repeat(w)}  ${c.green('fix:')} ${f.fix}`);
  });
  return out;
}

/** Longest note shown; the JSON keeps every word. */
const NOTE_MAX = 160;

/**
 * Why figures are unknown, once each however many scenarios share the reason: the lines of the
 * scenarios' `rests` that say `unknown`, with `line N:` made `FILE:N` (the current Dockerfile or
 * init's) so they read like findings.
 */
export function unknownReasons(image: AuditImage): string[] {
  const out = new Set<string>();
  const visit = (s: Scenario, file: string) => {
    if (s.bytes.classic !== null && s.bytes.containerd !== null) return;
    for (const r of s.rests) {
      if (!/\bunknown\b/.test(r) || /leaves the total unknown/.test(r)) continue;
      const text = r
        .replace(/^line (\d+): /, `${file}:$1: `)
        .replace(/^base: /, 'base image: ')
        .replace(/(^|: )unknown: /, '$1');
      out.add(text.length > NOTE_MAX ? `${text.slice(0, NOTE_MAX - 1)}…` : text);
    }
  };
  for (const s of image.scenarios) visit(s, image.dockerfile);
  for (const s of image.alternative?.scenarios ?? []) visit(s, "init's Dockerfile");
  return [...out];
}

function footer(result: AuditResult, c: Colors): string[] {
  const out: string[] = [];
  const measured = result.images.some((i) =>
    [...i.scenarios, ...(i.alternative?.scenarios ?? [])].some((s) => s.basis === 'measured'),
  );
  out.push(
    c.dim(
      "Bytes a host holding the previous image pulls: classic = Docker's classic store (every layer above the first new one), containerd = only new layers.",
    ),
    c.dim(
      measured
        ? '* measured by building twice and diffing the images (--build); other figures are estimates.'
        : 'Estimated before building, from the context, the lock and the base image; --build measures them.',
    ),
  );
  const fixable = result.images.reduce((n, i) => n + i.findings.filter((f) => f.fixable).length, 0);
  const alternatives = result.images.filter((i) => i.alternative).length;
  const hints = [
    fixable ? `--fix applies lint's safe fixes (${plural(fixable, 'finding')})` : '',
    alternatives ? `--write-alternative writes init's files` : '',
  ].filter(Boolean);
  if (hints.length) out.push(c.dim(`${hints.join('; ')}.`));
  if (result.checks?.length) {
    out.push('');
    for (const k of result.checks) {
      const mark = k.failed ? c.red('FAIL') : k.value === null ? c.yellow('??  ') : c.green('ok  ');
      out.push(`${mark}  ${k.condition}  ${c.dim(`${k.image}: ${checkValue(k)}`)}`);
    }
  }
  return out;
}
