// bench's checks before any build: what the later scenarios need (a file to touch, the project's
// manager on PATH, a base image to rebuild), the history file and the report files' directories,
// and --touch / --dep-change given without their scenario. Each refusal is one UserError line.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  checkHistoryFile,
  checkReportFile,
  checkScenarioOptions,
  checkScenarios,
} from '../../../src/bench/preflight.js';
import type { BenchImageSource } from '../../../src/bench/workspace.js';
import { UserError } from '../../../src/errors.js';
import { detectProject } from '../../../src/project/index.js';
import { findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-preflight-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fixtures = join(findRoot(), 'test', 'fixtures', 'projects');

function image(dockerfile = 'FROM python:3.11-slim\nCOPY . /app\n'): BenchImageSource {
  const dir = join(mkdtempSync(join(tmp, 'fx-')), 'fastapi-uv');
  cpSync(join(fixtures, 'fastapi-uv'), dir, { recursive: true });
  return {
    context: dir,
    dockerfile: join(dir, 'Dockerfile'),
    buildArgs: {},
    project: detectProject(dir),
    overlay: [{ path: 'Dockerfile', content: dockerfile }],
  };
}

const oneLine = (re: RegExp) => (e: unknown) =>
  e instanceof UserError && re.test(e.message) && !e.message.includes('\n');
const uvBin = (() => {
  const bin = mkdtempSync(join(tmp, 'bin-'));
  writeFileSync(join(bin, 'uv'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'uv'), 0o755);
  return bin;
})();
const opts = { indexUrlOf: () => undefined, path: uvBin };

describe('checkScenarios', () => {
  it('passes what every scenario can do', async () => {
    await checkScenarios([image()], ['cold', 'warm', 'code-change', 'dependency-change', 'base-change'], opts);
  });

  it('refuses --touch or --dep-change without their scenario', () => {
    assert.throws(() => checkScenarioOptions(['cold', 'warm'], { touch: 'a.py' }), oneLine(/code-change is not among/));
    assert.throws(
      () => checkScenarioOptions(['cold', 'code-change'], { depChange: 'true' }),
      oneLine(/dependency-change is not among/),
    );
  });

  it('refuses a --touch file that is not in the context', async () => {
    await assert.rejects(
      checkScenarios([image()], ['code-change'], { ...opts, touch: 'nope.py' }),
      oneLine(/--touch nope\.py: no such file/),
    );
  });

  it('refuses a dependency change whose manager is not on PATH, unless --dep-change gives it', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    await assert.rejects(
      checkScenarios([image()], ['dependency-change'], { ...opts, path: empty }),
      oneLine(/needs uv .* on PATH/),
    );
    await checkScenarios([image()], ['dependency-change'], { ...opts, path: empty, depChange: 'true' });
  });

  it('refuses base-change from scratch, an unset arg base, or with a remote builder', async () => {
    await assert.rejects(
      checkScenarios([image('FROM scratch\nCOPY . /app\n')], ['base-change'], opts),
      oneLine(/FROM scratch/),
    );
    await assert.rejects(
      checkScenarios([image('ARG BASE\nFROM $BASE\nCOPY . /app\n')], ['base-change'], opts),
      oneLine(/build arg with no value/),
    );
    await assert.rejects(
      checkScenarios([image()], ['base-change'], { ...opts, remoteBuilder: '--buildkit tcp://b:1234' }),
      oneLine(/local engine/),
    );
  });
});

describe('checkHistoryFile and checkReportFile', () => {
  it('refuses a directory, a file that is no bench history, a report in a missing directory', () => {
    const d = mkdtempSync(join(tmp, 'h-'));
    assert.throws(() => checkHistoryFile(d), oneLine(/is a directory/));
    writeFileSync(join(d, 'notes.txt'), 'my notes\n');
    assert.throws(() => checkHistoryFile(join(d, 'notes.txt')), oneLine(/is not a bench history/));
    checkHistoryFile(join(d, 'new', 'deeper', 'bench.jsonl'));
    writeFileSync(join(d, 'empty.jsonl'), '');
    checkHistoryFile(join(d, 'empty.jsonl'));
    assert.throws(() => checkReportFile('--output', join(d, 'missing', 'r.html')), oneLine(/does not exist/));
    mkdirSync(join(d, 'ok'));
    checkReportFile('--output', join(d, 'ok', 'r.html'));
  });
});
