// Discovery reads whatever is in a repository: broken, truncated or odd definition files must give
// warnings (one line each), never an exception. Deterministic mutations of the monorepo fixture's
// definition files: every truncation point of a sample, and random byte edits.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverTargets } from '../../../src/audit/discover.js';
import { MONOREPO, scratch } from './scratch.js';

const FILES = [
  'compose.yaml',
  'compose.override.yaml',
  'docker-bake.hcl',
  'ops/docker-bake.json',
  '.github/workflows/ci.yml',
];
const ORIGINAL = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(MONOREPO, f), 'utf8')]));

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '$',
  '${',
  '${{',
  '=',
  ':',
  '\n',
  ' ',
  '#',
  '/*',
  ',',
  '<<EOT\n',
  '-',
  'x',
  '&a',
  '*a',
];

describe('discovery on mangled definition files', () => {
  it('never throws; every warning is one line', () => {
    const s = scratch({
      'backend/Dockerfile': 'FROM scratch\n',
      'frontend/Dockerfile': 'FROM scratch\n',
      'tools/Dockerfile.migrate': 'FROM scratch\n',
      ...ORIGINAL,
    });
    const next = rng(11);
    let runs = 0;
    let warned = 0;
    try {
      for (const file of FILES) {
        const text = ORIGINAL[file];
        const cuts = [...Array(40).keys()].map((i) => Math.floor((text.length * i) / 40));
        const mutants = cuts.map((c) => text.slice(0, c));
        for (let i = 0; i < 40; i++) {
          let t = text;
          for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
            const at = Math.floor(next() * t.length);
            const ins = ALPHABET[Math.floor(next() * ALPHABET.length)];
            t = t.slice(0, at) + ins + t.slice(at + Math.floor(next() * 3));
          }
          mutants.push(t);
        }
        for (const m of mutants) {
          writeFileSync(join(s.dir, file), m);
          const r = discoverTargets(s.dir);
          runs++;
          warned += r.warnings.length > 0 ? 1 : 0;
          for (const w of r.warnings) assert.doesNotMatch(w, /\n/, `${file}: ${JSON.stringify(m)}`);
          for (const t of r.targets) assert.ok(t.name && t.origins.length > 0);
        }
        writeFileSync(join(s.dir, file), text);
      }
      assert.equal(runs, FILES.length * 80);
      // The mutations really break files: most runs warn.
      assert.ok(warned > runs / 2, `${warned} of ${runs} runs warned`);
    } finally {
      s.done();
    }
  });
});
