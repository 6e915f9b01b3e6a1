// Parity with hadolint and Docker's build checks, measured on our own table of their documented
// examples (parity/hadolint.ts, parity/buildkit.ts). A row agrees when the layerwise rule carrying
// the alias reports exactly the instructions the other tool reports (none for a good example).
// hadolint reports the first line of an instruction and layerwise may point inside it (at the
// command), so DL rows compare instructions; build checks must report the very line BuildKit does.
// Rows marked `differs` disagree on purpose; the test checks that the list of differences is true.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRules, lintText } from '../../../src/lint.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { BUILDKIT_CASES } from './parity/buildkit.js';
import { HADOLINT_CASES } from './parity/hadolint.js';
import { LABEL_CASES } from './parity/hadolint-labels.js';
import type { ParityCase } from './parity/table.js';

await loadShell();

interface Outcome {
  row: ParityCase;
  got: number[];
  agrees: boolean;
}

/** Lines where the rule(s) carrying `row.alias` report, as instruction start lines for DL rows. */
function run(row: ParityCase): Outcome {
  const ids = new Set(allRules.filter((r) => r.meta.aliases.includes(row.alias)).map((r) => r.meta.id));
  assert.ok(ids.size, `no rule has the alias ${row.alias}`);
  const res = lintText(row.text, 'Dockerfile', {
    example: row.context ?? { dockerignore: '.git\n' },
    settings: row.settings,
    enableAll: true,
  });
  assert.deepEqual(res.failures, [], `${row.alias}: a rule failed`);
  const hadolint = /^DL\d{4}$/.test(row.alias);
  const starts = res.file.instructions.map((i) => [i.span.start.line, i.span.end.line]);
  const toInstruction = (line: number) => starts.find(([s, e]) => line >= s && line <= e)?.[0] ?? line;
  const got = [
    ...new Set(res.findings.filter((f) => ids.has(f.rule)).map((f) => (hadolint ? toInstruction(f.line) : f.line))),
  ].sort((a, b) => a - b);
  return { row, got, agrees: JSON.stringify(got) === JSON.stringify(row.lines) };
}

function show(o: Outcome): string {
  const want = o.row.lines.length ? `line ${o.row.lines.join(',')}` : 'quiet';
  const got = o.got.length ? `line ${o.got.join(',')}` : 'quiet';
  return `${o.row.alias} ${o.row.kind} (expected ${want}, layerwise ${got})${o.row.differs ? `: ${o.row.differs}` : ''}`;
}

function measure(name: string, rows: ParityCase[]): void {
  const outcomes = rows.map(run);
  const agree = outcomes.filter((o) => o.agrees).length;
  const pct = (100 * agree) / outcomes.length;
  const lines = outcomes.filter((o) => !o.agrees).map((o) => `  - ${show(o)}`);
  process.stdout.write(
    `# parity with ${name}: ${agree}/${outcomes.length} documented examples agree (${pct.toFixed(1)}%)\n` +
      (lines.length ? `# differing:\n${lines.map((l) => `#${l}`).join('\n')}\n` : ''),
  );
  it('agrees on at least 95% of the documented examples', () => {
    assert.ok(pct >= 95, `${pct.toFixed(1)}% < 95%:\n${lines.join('\n')}`);
  });
  it('differs exactly where the table says it does on purpose', () => {
    const unexpected = outcomes.filter((o) => !o.agrees && !o.row.differs).map(show);
    const stale = outcomes.filter((o) => o.agrees && o.row.differs).map(show);
    assert.deepEqual(unexpected, [], 'disagreements without a reason');
    assert.deepEqual(stale, [], 'rows marked `differs` that now agree');
  });
}

describe('parity with hadolint (documented DL examples)', () => {
  const rows = [...HADOLINT_CASES, ...LABEL_CASES];
  measure('hadolint', rows);
  it('covers every DL rule that has a layerwise alias with a bad and a good example', () => {
    const dl = new Set(allRules.flatMap((r) => r.meta.aliases).filter((a) => /^DL\d{4}$/.test(a)));
    for (const alias of dl)
      for (const kind of ['bad', 'good'])
        assert.ok(
          rows.some((c) => c.alias === alias && c.kind === kind),
          `${alias} has no ${kind} example`,
        );
  });
});

describe("parity with Docker's build checks (documented examples)", () => {
  measure('BuildKit', BUILDKIT_CASES);
  it('covers every build check with a bad and a good example', () => {
    const checks = new Set(
      allRules.flatMap((r) => r.meta.aliases).filter((a) => /^[A-Z][a-z]/.test(a) && !/^DL\d/.test(a)),
    );
    for (const alias of checks)
      for (const kind of ['bad', 'good'])
        assert.ok(
          BUILDKIT_CASES.some((c) => c.alias === alias && c.kind === kind),
          `${alias} has no ${kind} example`,
        );
  });
});
