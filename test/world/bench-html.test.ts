// The bench page in a real browser (Debian's chromium through playwright-core): the history
// charts draw one point per run and scenario at the figure the history holds (read back from the
// rendered positions, not only from attributes), --against is dashed and side by side, hostile
// text stays text, and there are no console errors and no network requests. A screenshot goes to
// the temporary directory.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { renderBenchHtml } from '../../src/bench/render-html.js';
import { SCENARIOS } from '../../src/bench/types.js';
import { benchHistory, benchRun, HOSTILE } from '../unit/bench/sample-html.js';
import { tempDir } from './world.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

/** Opens a file with every request but its own aborted; collects console errors, requests and dialogs. */
async function open(browser: Browser, file: string, fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const url = `file://${file}`;
  const problems: string[] = [];
  await context.route('**/*', (r) => (r.request().url() === url ? r.continue() : r.abort()));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`error: ${String(e)}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  try {
    await page.goto(url);
    await fn(page);
    assert.deepEqual(problems, [], 'no console errors, dialogs or requests');
  } finally {
    await context.close();
  }
}

/** Centre of each point of one series in the chart, in page pixels, with its data-run. */
async function points(page: Page, metric: string, scenario: string, variant: string) {
  const loc = page.locator(`svg.history.${metric} circle.pt[data-scenario="${scenario}"][data-variant="${variant}"]`);
  const out: { run: number; x: number; y: number }[] = [];
  for (let i = 0; i < (await loc.count()); i++) {
    const el = loc.nth(i);
    const box = (await el.boundingBox())!;
    out.push({ run: Number(await el.getAttribute('data-run')), x: box.x + box.width / 2, y: box.y + box.height / 2 });
  }
  return out;
}

describe('bench HTML page in headless chromium', () => {
  const ctx = tempDir();
  const history = benchHistory();
  const current = history[history.length - 1];
  let browser: Browser;
  let file = '';
  let single = '';

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/world/up (it installs Debian's chromium)`);
    file = join(ctx.path, 'bench.html');
    // As bench writes it: the current run is already the history's last line.
    writeFileSync(file, renderBenchHtml(current, history));
    const alone = benchRun(0);
    alone.scenarios = alone.scenarios.filter((s) => s.variant === 'subject' && s.name !== 'base-change');
    delete alone.ratios;
    delete alone.options.against;
    single = join(ctx.path, 'single.html');
    writeFileSync(single, renderBenchHtml(alone, []));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    ctx.cleanup();
  });

  test('history charts: a point per run at the figure the history holds', async () => {
    await open(browser, file, async (page) => {
      assert.equal(await page.locator('svg.history.time').count(), 1);
      assert.equal(await page.locator('svg.history.deploy').count(), 1);
      // Five scenarios twice (subject, against) for time; cold has no deploy figure.
      assert.equal(await page.locator('svg.history.time g.series').count(), 10);
      assert.equal(await page.locator('svg.history.deploy g.series').count(), 8);
      for (const [metric, value] of [
        ['time', (s: (typeof current.scenarios)[0]) => s.time.median_s],
        ['deploy', (s: (typeof current.scenarios)[0]) => s.deploy?.gzip.containerd ?? null],
      ] as const) {
        const svg = page.locator(`svg.history.${metric}`);
        const top = Number(await svg.getAttribute('data-top'));
        // The y axis in page pixels, from two grid lines (0 and top).
        const grid = svg.locator('line.grid');
        const y0 = (await grid.first().boundingBox())!.y;
        const yTop = (await grid.last().boundingBox())!.y;
        for (const scenario of SCENARIOS)
          for (const variant of ['subject', 'against']) {
            const want = history.map((run) =>
              value(run.scenarios.find((s) => s.name === scenario && s.variant === variant)!),
            );
            const got = await points(page, metric, scenario, variant);
            if (want.every((v) => v === null)) {
              assert.equal(got.length, 0, `${metric} ${scenario}: no points`);
              continue;
            }
            assert.deepEqual(
              got.map((p) => p.run),
              history.map((_, i) => i),
              `${metric} ${scenario} ${variant}: one point per run`,
            );
            for (const p of got) {
              const v = want[p.run]!;
              const expectY = y0 + (yTop - y0) * (v / top);
              assert.ok(
                Math.abs(p.y - expectY) <= 1.5,
                `${metric} ${scenario} ${variant} run ${p.run}: ${v} drawn at y ${p.y}, expected ${expectY}`,
              );
            }
            // Runs left to right, oldest first.
            for (let i = 1; i < got.length; i++) assert.ok(got[i].x > got[i - 1].x);
          }
      }
      // The 30% slower last run stands out on the cold line.
      const cold = await points(page, 'time', 'cold', 'subject');
      assert.ok(cold[5].y < Math.min(...cold.slice(0, 5).map((p) => p.y)) - 10, 'the slow run is higher');
      // The last run is labelled with its commit and sits in the shaded band.
      const band = (await page.locator('svg.history.time rect.now').boundingBox())!;
      assert.ok(cold[5].x > band.x && cold[5].x < band.x + band.width);
      assert.equal(
        await page.locator('svg.history.time text.run').last().locator('tspan').first().textContent(),
        current.environment.commit!.slice(0, 7),
      );
      assert.equal(
        await page.locator('svg.history.time text.run').last().locator('tspan.when').textContent(),
        '11-25 09:30',
      );
      // --against is dashed.
      const dash = await page
        .locator('svg.history.time path.series.against')
        .first()
        .evaluate((el) => getComputedStyle(el).strokeDasharray);
      assert.notEqual(dash, 'none');
      // Hovering a point shows its run and figure.
      await page
        .locator('svg.history.deploy circle.pt[data-scenario="code-change"][data-variant="against"]')
        .last()
        .hover();
      const tip = (await page.locator('#tip').textContent()) ?? '';
      assert.match(tip, /code-change \(against\): 6\.68 kB gzip/);
      assert.ok(tip.includes(current.startedAt));
      await page.screenshot({ path: join(tmpdir(), 'layerwise-bench-report.png'), fullPage: true });
    });
  });

  test('this run: table, side by side, steps, verdict; hostile text is text', async () => {
    await open(browser, file, async (page) => {
      assert.equal(await page.locator('table.run tbody tr').count(), 10);
      // Side by side: init's code change is a sliver next to the naive layout's.
      const pair = (v: string) =>
        page.locator(`svg.side.deploy g.pair[data-scenario="code-change"][data-variant="${v}"] rect`).boundingBox();
      const [s, a] = [(await pair('subject'))!, (await pair('against'))!];
      assert.ok(s.width > 50 * a.width && a.width >= 1, `${s.width} vs ${a.width}`);
      assert.equal(await page.locator('svg.side.time g.pair').count(), 10);

      const details = page.locator('details.steps[data-scenario="code-change"]');
      await details.locator('summary').click();
      const rows = details.locator('table.steps').first().locator('tbody tr');
      const steps = current.scenarios.find((x) => x.name === 'code-change' && x.variant === 'subject')!.steps;
      assert.equal(await rows.count(), steps.length);
      assert.equal(await rows.locator('.badge.good').count(), steps.filter((x) => x.cached).length);
      assert.match((await details.textContent()) ?? '', /stages: deps 140\.0 MB/);

      assert.equal(await page.locator('#verdict table.checks .badge.bad').count(), 2);
      assert.match((await page.locator('#verdict').textContent()) ?? '', /HEAD~1/);
      // Run 3 came from a 4-CPU machine: flagged.
      assert.equal(await page.locator('#history tbody tr').count(), 6);
      assert.equal(await page.locator('#history .badge.warn').count(), 1);

      assert.ok(((await page.locator('table.run').textContent()) ?? '').includes(HOSTILE));
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('script').count(), 1, 'only the page’s own script');

      // Sorting by median time puts the fastest first.
      await page.locator('table.run th', { hasText: 'Time (median)' }).click();
      const times = await page
        .locator('table.run tbody td:nth-child(4)')
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => x - y),
      );
    });
  });

  test('one run, no history, no --against', async () => {
    await open(browser, single, async (page) => {
      assert.equal(await page.locator('svg.history.time circle.pt').count(), 4);
      // Cold has no deploy figure, so three.
      assert.equal(await page.locator('svg.history.deploy circle.pt').count(), 3);
      assert.equal(await page.locator('svg.side').count(), 0);
      assert.equal(await page.locator('#verdict').count(), 0);
      assert.equal(await page.locator('#history tbody tr').count(), 1);
    });
  });
});
