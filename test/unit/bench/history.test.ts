// The bench history file (append, read with bad lines, refusing a file that is not one), the
// environment facts of a run, and --baseline by git ref (in a temp repository) and by file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  appendHistory,
  benchEnvironment,
  gitState,
  invalidResult,
  pickBaseline,
  readHistory,
} from '../../../src/bench/history.js';
import type { BenchResult } from '../../../src/bench/types.js';
import { UserError } from '../../../src/errors.js';
import { sampleResult } from './sample.js';

const root = mkdtempSync(join(tmpdir(), 'lw-bench-history-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `t${n++}`);
  mkdirSync(d);
  return d;
};

const isUserError = (re: RegExp) => (e: unknown) =>
  e instanceof UserError && re.test(e.message) && !e.message.includes('\n');

const at = (startedAt: string, commit: string | null, dirty = false): BenchResult => {
  const r = sampleResult({ startedAt });
  r.environment = { ...r.environment, commit, dirty };
  return r;
};

describe('appendHistory / readHistory', () => {
  it('creates the directory and appends one line per run, read back oldest first', () => {
    const file = join(fresh(), '.layerwise', 'deep', 'bench.jsonl');
    appendHistory(file, at('2026-12-01T01:00:00.000Z', 'a'.repeat(40)));
    appendHistory(file, at('2026-12-01T02:00:00.000Z', 'b'.repeat(40)));
    const text = readFileSync(file, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    const { results, warnings } = readHistory(file);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      results.map((r) => r.startedAt),
      ['2026-12-01T01:00:00.000Z', '2026-12-01T02:00:00.000Z'],
    );
    assert.deepEqual(results[0], at('2026-12-01T01:00:00.000Z', 'a'.repeat(40)));
  });

  it('reads a missing file as an empty history', () => {
    assert.deepEqual(readHistory(join(root, 'none.jsonl')), { results: [], warnings: [] });
  });

  it('skips bad lines with a warning naming the line, and keeps the good ones', () => {
    const file = join(fresh(), 'bench.jsonl');
    const good = JSON.stringify(sampleResult());
    const noSteps = sampleResult() as unknown as { scenarios: Record<string, unknown>[] };
    delete noSteps.scenarios[1].steps;
    writeFileSync(
      file,
      [
        good,
        '{"schema": "layerwise-bench/1", "startedAt": ', // cut short by a killed run
        '',
        '[1, 2]',
        JSON.stringify({ ...sampleResult(), schema: 'layerwise-bench/9' }),
        JSON.stringify({ hello: 'world' }),
        JSON.stringify(noSteps),
        JSON.stringify({ ...sampleResult(), startedAt: '2026-12-02T00:00:00.000Z' }),
        '   ',
      ].join('\n'),
    );
    const { results, warnings } = readHistory(file);
    assert.deepEqual(
      results.map((r) => r.startedAt),
      ['2026-12-01T02:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    );
    assert.equal(warnings.length, 5);
    assert.match(warnings[0], new RegExp(`^${file}:2: not JSON \\(.+\\), skipped$`));
    assert.equal(warnings[1], `${file}:4: not a JSON object, skipped`);
    assert.equal(warnings[2], `${file}:5: schema layerwise-bench/9, not layerwise-bench/1, skipped`);
    assert.equal(warnings[3], `${file}:6: no schema (not a layerwise bench result), skipped`);
    assert.equal(warnings[4], `${file}:7: scenario warm without steps, skipped`);
  });

  it('ends a last line cut short before appending, so the new line stays whole', () => {
    const file = join(fresh(), 'bench.jsonl');
    writeFileSync(file, `${JSON.stringify(sampleResult())}\n{"schema":"layerwise-bench/1","sta`);
    appendHistory(file, at('2026-12-03T00:00:00.000Z', null));
    const { results, warnings } = readHistory(file);
    assert.deepEqual(
      results.map((r) => r.startedAt),
      ['2026-12-01T02:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /:2: not JSON/);
  });

  it('refuses to append to a file that is not a bench history, and leaves it as it was', () => {
    const dir = fresh();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'my notes\n');
    assert.throws(
      () => appendHistory(file, sampleResult()),
      isUserError(/--history .*notes\.txt: the file is not a bench history/),
    );
    assert.equal(readFileSync(file, 'utf8'), 'my notes\n');
    const json = join(dir, 'package.json');
    writeFileSync(json, '{"name": "x"}\n');
    assert.throws(() => appendHistory(json, sampleResult()), isUserError(/not a bench history/));
    assert.throws(() => appendHistory(dir, sampleResult()), isUserError(/not a regular file/));
    // An empty file is a history with no runs yet.
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    appendHistory(empty, sampleResult());
    assert.equal(readHistory(empty).results.length, 1);
  });

  it('says when the history cannot be written', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    assert.throws(
      () => appendHistory(join(dir, 'file', 'bench.jsonl'), sampleResult()),
      isUserError(/cannot write \(E\w+\)/),
    );
  });

  it('refuses a result that is not one (a programming error, not the user)', () => {
    assert.throws(
      () =>
        appendHistory(join(fresh(), 'b.jsonl'), { ...sampleResult(), scenarios: undefined } as unknown as BenchResult),
      (e: unknown) => !(e instanceof UserError) && /no scenarios/.test((e as Error).message),
    );
  });
});

const git = (dir: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).trim();

describe('git facts and --baseline REF', () => {
  let repo: string;
  let first: string;
  let second: string;
  let history: string;

  before(() => {
    repo = fresh();
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'app.py'), 'print(1)\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'one');
    first = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'app.py'), 'print(2)\n');
    git(repo, 'commit', '-qam', 'two');
    second = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'tag', 'v2');
    history = join(repo, '.layerwise', 'bench.jsonl');
    appendHistory(history, at('2026-12-01T01:00:00.000Z', first));
    appendHistory(history, at('2026-12-01T02:00:00.000Z', second));
    appendHistory(history, at('2026-12-01T03:00:00.000Z', first, true));
    appendHistory(history, at('2026-12-01T04:00:00.000Z', second));
    appendHistory(history, at('2026-12-01T05:00:00.000Z', second, true));
  });

  it("reads HEAD, and a tree with changes as dirty; bench's own .layerwise/ is not a change", () => {
    assert.deepEqual(gitState(repo), { commit: second, dirty: false });
    writeFileSync(join(repo, 'new.py'), '');
    assert.deepEqual(gitState(repo), { commit: second, dirty: true });
    rmSync(join(repo, 'new.py'));
    writeFileSync(join(repo, 'app.py'), 'print(3)\n');
    assert.equal(gitState(repo).dirty, true);
    git(repo, 'checkout', '-q', '--', 'app.py');
    assert.equal(gitState(repo).dirty, false);
    assert.deepEqual(gitState(fresh()), { commit: null, dirty: false });
  });

  it('does not count a history file kept elsewhere in the project as a change when told of it', () => {
    const elsewhere = join(repo, 'perf', 'runs.jsonl');
    appendHistory(elsewhere, at('2026-12-01T07:00:00.000Z', second));
    assert.equal(gitState(repo).dirty, true);
    assert.equal(gitState(repo, elsewhere).dirty, false);
    // Relative to the working directory, as --history takes it.
    const saved = process.cwd();
    process.chdir(repo);
    try {
      assert.equal(gitState('.', 'perf/runs.jsonl').dirty, false);
    } finally {
      process.chdir(saved);
    }
    writeFileSync(join(repo, 'perf', 'other.txt'), 'x');
    assert.equal(gitState(repo, elsewhere).dirty, true);
    rmSync(join(repo, 'perf'), { recursive: true });
    assert.equal(gitState(repo).dirty, false);
  });

  it('picks the newest clean run of the commit a ref names', () => {
    assert.equal(pickBaseline('HEAD', history, repo).startedAt, '2026-12-01T04:00:00.000Z');
    assert.equal(pickBaseline('v2', history, repo).startedAt, '2026-12-01T04:00:00.000Z');
    assert.equal(pickBaseline('main~1', history, repo).startedAt, '2026-12-01T01:00:00.000Z');
    assert.equal(pickBaseline(first.slice(0, 8), history, repo).startedAt, '2026-12-01T01:00:00.000Z');
  });

  it("falls back to a dirty tree's run when the commit has no other", () => {
    const h = join(fresh(), 'b.jsonl');
    appendHistory(h, at('2026-12-01T03:00:00.000Z', first, true));
    appendHistory(h, at('2026-12-01T06:00:00.000Z', first, true));
    assert.equal(pickBaseline('HEAD~1', h, repo).startedAt, '2026-12-01T06:00:00.000Z');
  });

  it('says when the commit has no run, the ref is no commit, or there is no repository', () => {
    const h = join(fresh(), 'b.jsonl');
    appendHistory(h, at('2026-12-01T01:00:00.000Z', first));
    assert.throws(
      () => pickBaseline('HEAD', h, repo),
      isUserError(
        new RegExp(
          `--baseline HEAD: no run of commit ${second.slice(0, 12)} in .*b\\.jsonl \\(1 run of ${first.slice(0, 12)}\\)`,
        ),
      ),
    );
    assert.throws(
      () => pickBaseline('HEAD', join(root, 'none.jsonl'), repo),
      isUserError(/no run of commit .* \(0 runs\)/),
    );
    assert.throws(
      () => pickBaseline('no-such-branch', history, repo),
      isUserError(/no-such-branch: no such file, and not a commit of the project/),
    );
    assert.throws(
      () => pickBaseline('HEAD', history, fresh()),
      isUserError(/no such file, and the project is not a git repository/),
    );
    assert.throws(() => pickBaseline(' ', history, repo), isUserError(/--baseline: empty/));
    assert.throws(
      () => pickBaseline(root, history, repo),
      isUserError(/--baseline .*: a directory; give a bench JSON file/),
    );
  });
});

describe('--baseline FILE', () => {
  it('reads a .json result as --format json writes it', () => {
    const file = join(fresh(), 'base.json');
    writeFileSync(file, JSON.stringify(at('2026-11-30T00:00:00.000Z', null), null, 2));
    assert.equal(pickBaseline(file, join(root, 'none.jsonl'), fresh()).startedAt, '2026-11-30T00:00:00.000Z');
  });

  it('reads the last run of a history file, skipping bad lines', () => {
    const file = join(fresh(), 'ci.jsonl');
    appendHistory(file, at('2026-11-29T00:00:00.000Z', null));
    appendHistory(file, at('2026-11-30T00:00:00.000Z', null));
    writeFileSync(file, readFileSync(file, 'utf8') + 'garbage\n');
    assert.equal(pickBaseline(file, file, fresh()).startedAt, '2026-11-30T00:00:00.000Z');
    // One line is JSON on its own: a one-run history reads as that run.
    const one = join(fresh(), 'one.jsonl');
    appendHistory(one, at('2026-11-28T00:00:00.000Z', null));
    assert.equal(pickBaseline(one, one, fresh()).startedAt, '2026-11-28T00:00:00.000Z');
  });

  it('says what is wrong with a file that holds no result', () => {
    const dir = fresh();
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"version": 1, "images": []}');
    assert.throws(() => pickBaseline(other, other, dir), isUserError(/other\.json: not a bench result \(no schema/));
    const text = join(dir, 'text.jsonl');
    writeFileSync(text, 'hello\nworld\n');
    assert.throws(
      () => pickBaseline(text, text, dir),
      isUserError(/text\.jsonl: no bench result in the file \(.*:1: not JSON/),
    );
  });
});

describe('benchEnvironment', () => {
  it('records the commit, the machine, and an engine that does not answer as unknown', async () => {
    const repo = fresh();
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'a'), 'a');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'a');
    const env = await benchEnvironment(repo, {
      client: 'buildkit',
      builder: 'default',
      host: `unix://${join(repo, 'no-engine.sock')}`,
    });
    assert.equal(env.commit, git(repo, 'rev-parse', 'HEAD'));
    assert.equal(env.dirty, false);
    assert.deepEqual(env.engine, { version: null, host: `unix://${join(repo, 'no-engine.sock')}`, storage: null });
    assert.deepEqual(env.builder, { client: 'buildkit', name: 'default', version: null });
    assert.equal(env.machine.node, process.version);
    assert.equal(env.machine.arch, process.arch);
    assert.ok(env.machine.cpus >= 1 && env.machine.memoryBytes > 0);
    assert.match(env.machine.os, /^\w+ \S+/);
  });

  it("asks the docker CLI for the engine's version and store, with the engine's address", async () => {
    const dir = fresh();
    const fake = join(dir, 'docker');
    // Answers only for the address it is given, as a CLI pointed elsewhere would not reach it.
    writeFileSync(
      fake,
      `#!/bin/sh
[ "$DOCKER_HOST" = "ssh://builder@build-host" ] || { echo "Cannot connect" >&2; exit 1; }
case "$1" in
  version) echo 24.0.7 ;;
  info) echo '[["driver-type","io.containerd.snapshotter.v1"]]' ;;
  *) exit 1 ;;
esac
`,
      { mode: 0o755 },
    );
    const env = await benchEnvironment(dir, {
      client: 'buildkit',
      builder: 'default',
      host: 'ssh://builder@build-host',
      docker: fake,
    });
    assert.deepEqual(env.engine, { version: '24.0.7', host: 'ssh://builder@build-host', storage: 'containerd' });
    assert.deepEqual(env.builder, { client: 'buildkit', name: 'default', version: '24.0.7' });
  });

  it("asks the engine's API when there is no docker CLI", async () => {
    const dir = fresh();
    const sock = join(dir, 'engine.sock');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/version') res.end(JSON.stringify({ Version: '20.10.24' }));
      else if (req.url === '/info')
        res.end(JSON.stringify({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']] }));
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((ok) => server.listen(sock, ok));
    try {
      const env = await benchEnvironment(dir, {
        client: 'buildkit',
        builder: 'default',
        host: `unix://${sock}`,
        docker: join(dir, 'no-docker-here'),
      });
      assert.deepEqual(env.engine, { version: '20.10.24', host: `unix://${sock}`, storage: 'classic' });
      assert.deepEqual(seen, ['/version', '/info']);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('asks buildctl (BUILDCTL) for its version', async () => {
    const dir = fresh();
    const fake = join(dir, 'buildctl');
    writeFileSync(
      fake,
      '#!/bin/sh\n[ "$1" = --version ] && echo "buildctl github.com/moby/buildkit v0.12.5 bdbfa3f"\n',
      { mode: 0o755 },
    );
    const saved = process.env.BUILDCTL;
    process.env.BUILDCTL = fake;
    try {
      const env = await benchEnvironment(dir, {
        client: 'buildctl',
        builder: 'tcp://127.0.0.1:1234',
        host: `unix://${join(dir, 'x.sock')}`,
      });
      assert.deepEqual(env.builder, { client: 'buildctl', name: 'tcp://127.0.0.1:1234', version: '0.12.5' });
      assert.deepEqual([env.commit, env.dirty], [null, false]);
    } finally {
      if (saved === undefined) delete process.env.BUILDCTL;
      else process.env.BUILDCTL = saved;
    }
  });
});

describe('invalidResult', () => {
  const broken = (edit: (r: Record<string, any>) => void) => {
    const r = JSON.parse(JSON.stringify(sampleResult()));
    edit(r);
    return invalidResult(r);
  };

  it('accepts a result, and says what a line lacks that the readers need', () => {
    assert.equal(invalidResult(sampleResult()), null);
    assert.equal(
      broken((r) => delete r.environment.machine),
      'no environment (engine, builder, machine)',
    );
    assert.equal(
      broken((r) => (r.environment.commit = 7)),
      'environment.commit neither a string nor null',
    );
    assert.equal(
      broken((r) => delete r.startedAt),
      'no startedAt',
    );
    assert.equal(
      broken((r) => (r.options = {})),
      'no options.scenarios',
    );
    assert.equal(
      broken((r) => (r.scenarios[0].time = { median: 3 })),
      'scenario cold without time.median_s',
    );
    assert.equal(
      broken((r) => (r.scenarios[1].imageBytes = '152 MB')),
      'scenario warm without imageBytes',
    );
    assert.equal(
      broken((r) => (r.scenarios[1].cacheHitRate = 'all')),
      'scenario warm with contextBytes or cacheHitRate neither a number nor null',
    );
    assert.equal(
      broken((r) => (r.scenarios[2].deploy = { classic: 1 })),
      'scenario code-change with a deploy that is not one',
    );
    assert.equal(
      broken((r) => (r.scenarios[2] = null)),
      'a scenario without name or image',
    );
  });
});
