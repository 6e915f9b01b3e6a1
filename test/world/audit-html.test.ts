// The audit's HTML page in a real browser (Debian's chromium through playwright-core): one chart
// per image with a bar per scenario, current above init's and the current bar the wider where the
// figures say so, unknown figures outlined, hostile names shown as text with no script running,
// no console errors and no network requests. A screenshot goes to the temporary directory.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { auditHtml } from '../../src/audit/render-html.js';
import { HOSTILE_NAME, hostileResult } from '../unit/audit/sample.js';
import { repoRoot, sh, tempDir } from './world.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

describe('audit HTML page in headless chromium', () => {
  const ctx = tempDir();
  let browser: Browser;
  let file = '';
  let example = '';

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/world/up (it installs Debian's chromium)`);
    file = join(ctx.path, 'audit.html');
    writeFileSync(file, auditHtml(hostileResult()));
    example = join(ctx.path, 'example.html');
    await sh(process.execPath, [
      join(repoRoot, 'dist/bundle/main.js'),
      'audit',
      join(repoRoot, 'examples/python-app'),
      '-f',
      'html',
      '-o',
      example,
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    ctx.cleanup();
  });

  test('charts, tables and hostile text, with no script but its own and no network', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const url = `file://${file}`;
    const errors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    await context.route('**/*', (r) => (r.request().url() === url ? r.continue() : r.abort()));
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(url);
      // Two images, two charts; the first has three scenarios, each with a current and an init's bar.
      assert.equal(await page.locator('svg.chart').count(), 2);
      const first = page.locator('#image-1 svg.chart');
      assert.equal(await first.locator('g.scenario').count(), 3);
      const code = first.locator('g.scenario[data-scenario="code-change"]');
      const now = (await code.locator('rect.now').boundingBox())!;
      const alt = (await code.locator('rect.alt').boundingBox())!;
      assert.ok(now.width > 100 * alt.width, `287 MB against 6 kB: ${now.width} vs ${alt.width}`);
      assert.ok(alt.width >= 1, 'the small bar is still visible');
      assert.ok(alt.y > now.y, "init's bar under the current one");
      assert.match((await code.textContent()) ?? '', /287\.4 MB.*6\.18 kB/);
      // Unknown figures are an outline, not a bar of zero.
      assert.equal(await first.locator('g.scenario[data-scenario="base-change"] rect.unknown').count(), 2);
      // The second image was measured by --build, and has no alternative.
      const second = page.locator('#image-2 svg.chart');
      assert.equal(await second.locator('rect.alt').count(), 0);
      assert.match((await second.textContent()) ?? '', /2\.48 kB \(measured\)/);

      // Hostile text is text.
      assert.equal(await page.locator('#image-1 > h2').textContent(), HOSTILE_NAME);
      assert.equal(await page.locator('nav.toc a').first().textContent(), HOSTILE_NAME);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('script').count(), 1, 'only the page’s own script');
      assert.match((await page.locator('#image-1 table.findings').textContent()) ?? '', /<\/script><script>alert\(2\)/);
      await page.locator('#image-1 details', { hasText: 'Dockerfile' }).last().locator('summary').click();
      assert.equal(await page.locator('#image-1 pre.file').first().textContent(), '<script>alert(3)</script>\n');

      // Sorting the findings by cost puts the cheapest first.
      await page.locator('#image-1 table.findings th', { hasText: 'Cost' }).click();
      const costs = await page
        .locator('#image-1 table.findings tbody td:nth-child(2)')
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
      assert.deepEqual(
        costs,
        [...costs].sort((a, b) => a - b),
      );

      await page.screenshot({ path: join(tmpdir(), 'layerwise-audit-report.png'), fullPage: true });
      assert.deepEqual(dialogs, [], 'no dialog');
      assert.deepEqual(errors, [], 'no console errors or warnings');
      assert.deepEqual(requests, [], 'no network requests');
    } finally {
      await context.close();
    }
  });

  test('the page `audit -f html` writes for the bundled example', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const url = `file://${example}`;
    const problems: string[] = [];
    await context.route('**/*', (r) => (r.request().url() === url ? r.continue() : r.abort()));
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== url) problems.push(r.url());
    });
    try {
      await page.goto(url);
      const chart = page.locator('#image-1 svg.chart');
      assert.equal(await chart.locator('g.scenario').count(), 3);
      // init's code change is known and small: a visible sliver on a scale of at least 1 MB.
      const alt = (await chart.locator('g.scenario[data-scenario="code-change"] rect.alt').boundingBox())!;
      assert.ok(alt.width >= 1 && alt.width < 20, `${alt.width}`);
      assert.equal((await page.locator('#image-1 table.findings tbody tr').count()) > 0, true);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
