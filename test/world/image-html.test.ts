// The HTML reports in a real browser (Debian's chromium through playwright-core): layer bars,
// file trees that open, hostile file names shown as text with no script running, no console
// errors and no network requests. Screenshots go to the temporary directory for a person to look at.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { HOSTILE, HOSTILE2, writeDiffPair, writeInspectImage } from '../unit/image/html-fixture.js';
import { repoRoot, sh, tempDir } from './world.js';

const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Watch {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

async function open(browser: Browser, file: string, colorScheme: 'light' | 'dark' = 'light') {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const w: Watch = { errors: [], dialogs: [], requests: [] };
  const url = `file://${file}`;
  await ctx.route('**/*', (r) => (r.request().url() === url ? r.continue() : r.abort()));
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) w.requests.push(r.url());
  });
  await page.goto(url);
  return { page, w, close: () => ctx.close() };
}

function clean(w: Watch): void {
  assert.deepEqual(w.dialogs, [], 'no dialog (no script from the image ran)');
  assert.deepEqual(w.errors, [], 'no console errors or warnings');
  assert.deepEqual(w.requests, [], 'no network requests');
}

describe('HTML reports in headless chromium', () => {
  const ctx = tempDir();
  let browser: Browser;
  let inspectFile = '';
  let diffFile = '';

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/world/up (it installs Debian's chromium)`);
    const ref = writeInspectImage(ctx.path);
    const pair = writeDiffPair(ctx.path);
    inspectFile = join(ctx.path, 'inspect.html');
    diffFile = join(ctx.path, 'diff.html');
    await sh(process.execPath, [CLI, 'inspect', ref, '--format', 'html', '-o', inspectFile]);
    await sh(process.execPath, [CLI, 'diff', pair.old, pair.new, '--format', 'html', '-o', diffFile]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    ctx.cleanup();
  });

  test('inspect: layer bars, a tree that opens, hostile names as text', async () => {
    const { page, w, close } = await open(browser, inspectFile);
    try {
      const rows = page.locator('.layer-bars .layer-row');
      assert.equal(await rows.count(), 5);
      for (let i = 0; i < 5; i++) {
        const bar = await rows.nth(i).locator('.bar.main').boundingBox();
        assert.ok(bar && bar.width >= 1 && bar.height > 0, `layer ${i + 1} has a visible bar`);
      }
      // The largest layer's bar is the widest.
      const width = async (i: number) => (await rows.nth(i).locator('.bar.back').boundingBox())!.width;
      assert.ok((await width(0)) > (await width(4)));
      // Hovering a bar shows the instruction.
      await rows.nth(4).hover();
      assert.match((await page.locator('#tip').textContent()) ?? '', /COPY \. \/app/);

      // The app layer's tree is closed until the layer is opened.
      const mainPy = page.locator('#layer-4 .tree .name', { hasText: /^main\.py$/ });
      assert.equal(await mainPy.isVisible(), false);
      await page.locator('#layer-4 > summary').click();
      assert.equal(await mainPy.isVisible(), true);
      const hostile = page.locator('#layer-4 .tree .name').filter({ hasText: HOSTILE });
      assert.equal(await hostile.count(), 1);
      assert.equal(await hostile.textContent(), HOSTILE);
      assert.equal(await page.locator('#layer-4 .tree .name').filter({ hasText: HOSTILE2 }).count(), 1);
      assert.equal(await page.locator('#layer-4 .tree .name', { hasText: '<script>alert(3)<' }).count(), 1);
      assert.equal(await page.locator('script').count(), 1, 'only the report’s own script');
      assert.equal(await page.locator('img, svg, iframe').count(), 0, 'no element made from a file name');

      // The base layer holds 2,603 entries: 2,000 shown, the rest counted.
      await page.locator('#layer-0 > summary').click();
      await page.locator('[data-target="tree-0"][data-open="1"]').click();
      assert.equal(await page.locator('#tree-0 .node').count(), 2000);
      assert.match((await page.locator('#layer-0 .layer-body > p.muted').textContent()) ?? '', /603 more not shown/);
      assert.ok(await page.locator('#tree-0 .more').first().isVisible());

      // Sorting a table by a numeric column.
      const sizes = () =>
        page
          .locator('#largest tbody tr td:nth-child(2)')
          .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
      const before = await sizes();
      await page.locator('#largest th', { hasText: 'Size' }).click();
      const asc = await sizes();
      assert.deepEqual(
        asc,
        [...before].sort((a, b) => a - b),
      );
      assert.ok(asc[0] < asc[asc.length - 1]);

      await page.locator('#layer-0 > summary').click(); // closed again, for a readable screenshot
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(tmpdir(), 'layerwise-inspect-report.png'), fullPage: true });
      clean(w);
    } finally {
      await close();
    }
  });

  test('inspect in dark mode renders with dark colours', async () => {
    const { page, w, close } = await open(browser, inspectFile, 'dark');
    try {
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
      assert.ok(r + g + b < 150, `dark background, got ${bg}`);
      await page.screenshot({ path: join(tmpdir(), 'layerwise-inspect-report-dark.png') });
      clean(w);
    } finally {
      await close();
    }
  });

  test('diff: one bar per NEW layer, verdicts and fixes, hostile names as text', async () => {
    const { page, w, close } = await open(browser, diffFile);
    try {
      assert.equal(await page.locator('#layers .layer-row').count(), 4);
      assert.equal(await page.locator('#layers .layer-row.shared').count(), 1);
      assert.equal(await page.locator('.stack.classic > div').count(), 4);
      assert.ok(await page.getByText('only timestamps/owners/modes').first().isVisible());
      assert.ok(await page.locator('#why .fix', { hasText: 'SOURCE_DATE_EPOCH' }).isVisible());
      const samples = page.locator('#why-3 details');
      await samples.locator('summary').click();
      assert.ok(await samples.locator('.path', { hasText: '/app/main.py' }).isVisible());
      assert.equal(await page.locator('img, svg, iframe').count(), 0);
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(tmpdir(), 'layerwise-diff-report.png'), fullPage: true });
      clean(w);
    } finally {
      await close();
    }
  });
});
