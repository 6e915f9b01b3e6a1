// The bench page as text: which runs the charts draw, the axis, escaping, and the CSP that keeps
// the page off the network. The browser test (test/world/bench-html.test.ts) checks the drawing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { niceTop, yOf } from '../../../src/bench/render-html-chart.js';
import { chartRuns, renderBenchHtml, runLabel, secs } from '../../../src/bench/render-html.js';
import { benchHistory, benchRun, HOSTILE } from './sample-html.js';

describe('renderBenchHtml', () => {
  const history = benchHistory();
  const current = history[history.length - 1];

  it('draws the history once, oldest first, with the current run last even when it is already appended', () => {
    const shuffled = [history[3], history[0], current, history[5 - 1], history[1], history[2]];
    const runs = chartRuns(current, shuffled);
    assert.deepEqual(
      runs.map((r) => r.startedAt),
      history.map((r) => r.startedAt),
    );
    assert.equal(chartRuns(current, []).length, 1);
    // Rendering an older run: the runs after it are not drawn before it.
    assert.deepEqual(
      chartRuns(history[2], history).map((r) => r.startedAt),
      history.slice(0, 3).map((r) => r.startedAt),
    );
    const other = { ...benchRun(9), schema: 'layerwise-bench/0' } as unknown as typeof current;
    assert.equal(chartRuns(current, [other, ...history]).length, 6, 'another schema is left out');
  });

  it('keeps at most 40 runs, the newest', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      ...benchRun(0),
      startedAt: `2026-01-01T00:${String(i).padStart(2, '0')}:00.000Z`,
    }));
    const runs = chartRuns(current, many);
    assert.equal(runs.length, 40);
    assert.equal(runs[0].startedAt, '2026-01-01T00:11:00.000Z');
    assert.equal(runs[39], current);
  });

  it('names runs by commit, dirty ones with a star, else by time', () => {
    assert.equal(runLabel(history[2]), 'cf3a9c2*');
    const noGit = benchRun(1);
    noGit.environment.commit = null;
    assert.equal(runLabel(noGit), '11-21 09:30');
  });

  it('scales the y axis to a round top and maps values linearly from 0', () => {
    assert.equal(niceTop(54.7), 100);
    assert.equal(niceTop(79_500_000), 100_000_000);
    assert.equal(niceTop(0.9), 1);
    assert.equal(niceTop(1.3), 2);
    assert.equal(niceTop(0), 1);
    assert.equal(yOf(50, 100), (yOf(0, 100) + yOf(100, 100)) / 2);
    assert.equal(secs(0.42), '0.42 s');
    assert.equal(secs(54.66), '54.7 s');
    assert.equal(secs(125), '2 min 05 s');
  });

  it('escapes every text of the project and allows no network and no other script', () => {
    const html = renderBenchHtml(current, history);
    assert.ok(!html.includes(HOSTILE), 'the hostile text never appears raw');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
    assert.match(html, /default-src &#39;none&#39;/);
    assert.equal((html.match(/<script>/g) ?? []).length, 1);
    assert.ok(!/https?:\/\//.test(html.replace(/http:\/\/127\.0\.0\.1:3141\/simple\//g, '')), 'no URL but the index');
  });

  it('headline cards per image when a compose project has several', () => {
    const r = benchRun(1);
    const api = r.scenarios.map((s) => ({ ...s, image: 'api' }));
    r.scenarios = [...r.scenarios, ...api];
    const html = renderBenchHtml(r, []);
    assert.match(html, /card-label">Dockerfile: warm build</);
    assert.match(html, /card-label">api: code change deploy</);
    assert.equal((html.match(/<section id="image-/g) ?? []).length, 2);
    assert.match(renderBenchHtml(benchRun(1), []), /card-label">warm build</);
  });

  it('says so when a figure was never measured', () => {
    const r = benchRun(0);
    r.scenarios = r.scenarios.filter((s) => s.name === 'cold');
    const html = renderBenchHtml(r, []);
    assert.match(html, /No deploy bytes measured in these runs/);
    assert.match(html, /class="history time"/);
  });
});
