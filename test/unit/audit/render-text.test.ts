// The audit's terminal report: the before/after table lines up, figures are in human units with
// measured ones marked, unknowns say why, findings come costliest first with file:line, cost and
// fix, and one image fits one screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFailOn, parseFailOn } from '../../../src/audit/fail-on.js';
import { auditText } from '../../../src/audit/render-text.js';
import { sampleResult } from './sample.js';

const text = auditText(sampleResult());
const lines = text.split('\n');
const row = (label: string, from = 0) => lines.slice(from).find((l) => l.startsWith(`  ${label}`))!;

describe('auditText', () => {
  it('a before/after table per image whose columns line up', () => {
    const groups = lines.find((l) => l.includes('current Dockerfile') && l.includes("init's Dockerfile"))!;
    const head = lines[lines.indexOf(groups) + 1];
    assert.match(head, /a deploy after +classic +containerd +re-runs +classic +containerd +re-runs/);
    assert.match(row('code change'), /^ {2}code change +287\.4 MB +287\.4 MB +4 steps +6\.18 kB +6\.18 kB +1 step$/);
    assert.match(row('dependency change'), /287\.4 MB +287\.4 MB +4 steps +104\.9 MB +104\.9 MB +3 steps$/);
    assert.match(row('base change'), /unknown +unknown +5 steps +unknown +unknown +0 steps$/);
    // Right-aligned: every row ends its columns where the header does.
    const end = (l: string, n: number) => [...l.matchAll(/\S+(?= {2,}|$)/g)].map((m) => m.index! + m[0].length)[n];
    for (const l of [row('code change'), row('dependency change'), row('base change')])
      assert.equal(end(l, 1), end(head, 1), l);
    assert.equal(head.indexOf('classic'), groups.indexOf('current'));
  });

  it('says what changes, what the image carries and why a figure is unknown', () => {
    assert.match(
      text,
      /\(code change: one line of app\/main\.py · dependency change: one package in requirements\.txt\)/,
    );
    assert.match(
      text,
      /final image carries {2}current: compilers build-essential, gcc · caches \/root\/\.cache\/pip · dev deps\n {32}requirements-dev\.txt · \.git · tests\n {23}init's: {2}nothing a runtime image should not/,
    );
    assert.match(
      text,
      /note: no lock file: dependency sizes come from the pip cache\n {2}unknown because\n {4}python:latest is not in the engine and no registry was asked\n\n/,
    );
    assert.match(text, /unknown because\n {4}uv\.lock records no size for numpy 2\.1\.0 \(sdist only\)\n/);
  });

  it('the top 5 findings, costliest first, with file:line, cost and fix', () => {
    const at = lines.filter((l) => /^ {2}Dockerfile:\d+ /.test(l));
    assert.deepEqual(
      at.map((l) => l.trim().split(/\s+/)[0]),
      ['Dockerfile:10', 'Dockerfile:8', 'Dockerfile:5', 'Dockerfile:2', 'Dockerfile:7'],
    );
    assert.match(at[0], /266\.4 MB per code change {2}LW2001 deps-after-source-copy$/);
    assert.match(at[2], /8\.00 kB per code change {2}LW2405 dockerignore-missing, --fix$/);
    assert.match(at[3], /every base release re-ships everything/);
    assert.match(text, /fix: copy requirements\.txt first, install, then COPY the rest/);
    assert.match(text, /Findings, costliest first \(5 of 6; all: layerwise lint Dockerfile\)/);
  });

  it('a measured figure carries *, the footer says so; an image without alternative has one group', () => {
    const worker = lines.indexOf('worker');
    assert.match(row('code change', worker), /2\.48 kB\* +2\.48 kB\* +1 step$/);
    assert.match(row('dependency change', worker), /unknown +2\.48 kB +2 steps$/);
    assert.match(row('build arg PYTHON_VERSION', worker), /61\.0 MB/);
    assert.doesNotMatch(lines[worker + 3], /init's/);
    assert.match(text, /\* measured by building twice and diffing the images \(--build\)/);
    assert.match(
      text,
      /worker\/Dockerfile --target prod, context worker · compose\.yaml:9 services\.worker · uv \(uv\.lock\)/,
    );
  });

  it('estimates only: the footer says how to measure; hints for --fix and --write-alternative', () => {
    const r = sampleResult();
    r.images.pop();
    const t = auditText(r);
    assert.match(t, /Estimated before building.*--build measures them/);
    assert.match(t, /--fix applies lint's safe fixes \(3 findings\); --write-alternative writes init's files\./);
    assert.match(t, /^warning: compose\.yaml: services\.docs uses dockerfile_inline; not audited$/m);
  });

  it('fits one screen per image: at most 40 lines of at most 100 columns; long text wraps', () => {
    const image = lines.slice(0, lines.indexOf('worker'));
    assert.ok(image.length <= 40, `${image.length} lines`);
    for (const l of lines) assert.ok(l.length <= 100, l);
    const r = sampleResult();
    r.images[0].findings[0].message = 'word '.repeat(40).trim();
    const wrapped = auditText(r, { width: 60 }).split('\n');
    const at = wrapped.findIndex((l) => l.startsWith('  Dockerfile:10 '));
    assert.deepEqual(
      wrapped.slice(at + 1, at + 5).map((l) => [l.length <= 60, l.startsWith(' '.repeat(17) + 'word')]),
      [
        [true, true],
        [true, true],
        [true, true],
        [true, true],
      ],
    );
    assert.match(wrapped[at + 5], /^ {17}word/);
  });

  it('unknown reasons: once each, line N as FILE:N, long ones cut', () => {
    const r = sampleResult();
    const [naive] = r.images;
    const rest = `line 10: unknown: 3 packages of 3 without a size: ${'x'.repeat(200)}`;
    naive.scenarios[0].bytes.classic = null;
    naive.scenarios[0].rests = [
      rest,
      'line 5: 6 context files gzipped: 729 B',
      'a pulled layer of unknown size leaves the total unknown',
    ];
    naive.scenarios[1].bytes.containerd = null;
    naive.scenarios[1].rests = [rest];
    naive.alternative!.scenarios[1].bytes.classic = null;
    naive.alternative!.scenarios[1].rests = [
      'line 67: copied from stage deps: unknown: no sizes',
      'base: unknown: off',
    ];
    const t = auditText(r).split('\n');
    const at = t.indexOf('  unknown because');
    assert.match(t[at + 1], /^ {4}Dockerfile:10: 3 packages of 3 without a size: x+…$/);
    assert.equal(t[at + 1].length, 100);
    assert.deepEqual(t.slice(at + 2, at + 5), [
      '    python:latest is not in the engine and no registry was asked',
      "    init's Dockerfile:67: copied from stage deps: no sizes",
      "    init's base image: off",
    ]);
  });

  it('colour only when asked; --fail-on results last', () => {
    assert.doesNotMatch(text, /\x1b\[/);
    const r = sampleResult();
    r.checks = checkFailOn(parseFailOn(['code-change>1MB', 'dependency-change.classic>1MB']), r);
    const t = auditText(r, { color: true });
    assert.match(t, /\x1b\[/);
    const plain = auditText(r);
    assert.match(
      plain,
      /FAIL {2}code-change>1MB {2}Dockerfile: 287\.4 MB \(estimated\)\nok {4}code-change>1MB {2}worker: 2\.48 kB \(measured\)/,
    );
    assert.match(plain, /\?\? {4}dependency-change\.classic>1MB {2}worker: unknown\n$/);
  });
});
