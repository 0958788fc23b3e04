import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../src/formatters/html.js';
import type { DocumentText } from '../src/report-texts.js';
import type { Report } from '../src/types.js';
import { cli, makeTree } from './helpers/cli.js';
import { largeReport } from './helpers/large-report.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`HTML report browser tests skipped: no Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
}
/** Where the test run leaves its screenshot of the report (look at it; docs/report.png is one). */
const SCREENSHOT = process.env.REPORT_SCREENSHOT ?? join(tmpdir(), 'corpus-lint-report.png');

const repoRoot = join(import.meta.dirname, '..');

let context: BrowserContext;
const requests: string[] = [];

async function open(htmlPath: string): Promise<Page> {
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(htmlPath).href) requests.push(request.url());
  });
  await page.goto(pathToFileURL(htmlPath).href);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Write the HTML and JSON reports of a corpus folder through the CLI, in-process. */
async function reportOf(cwd: string, target: string): Promise<{ html: string; report: Report }> {
  const out = mkdtempSync(join(tmpdir(), 'corpus-lint-html-'));
  const html = join(out, 'report.html');
  const json = join(out, 'report.json');
  const { code, stderr } = await cli([target, '--format', `html:${html}`, '--format', `json:${json}`], cwd);
  expect(code, stderr).toBeLessThan(2);
  return { html, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}

const numberIn = async (page: Page, selector: string) => Number(await page.getAttribute(selector, 'data-value'));
const rowCount = (page: Page) => page.locator('#doc-rows tr[data-doc]').count();

describe.skipIf(!haveChromium)('HTML report in Chromium', () => {
  beforeAll(async () => {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'corpus-lint-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1400, height: 1000 },
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  it("shows the JSON report's counts for the repository's corpus/", async () => {
    const { html, report } = await reportOf(repoRoot, 'corpus');
    const page = await open(html);
    expect(await numberIn(page, '#count-documents')).toBe(report.summary.documents);
    expect(await numberIn(page, '#count-errors')).toBe(report.summary.errors);
    expect(await numberIn(page, '#count-warnings')).toBe(report.summary.warnings);
    expect(await numberIn(page, '#count-infos')).toBe(report.summary.infos);
    const withFindings = report.files.filter((file) => file.messages.length > 0);
    expect(await rowCount(page)).toBe(Math.min(50, withFindings.length));
    for (const [ruleId, counts] of Object.entries(report.summary.byRule)) {
      expect(Number(await page.getAttribute(`.chart-row[data-rule="${ruleId}"]`, 'data-count'))).toBe(counts.errors + counts.warnings + counts.infos);
    }
    if (withFindings.some((file) => file.messages.some((message) => message.end > message.start))) {
      expect(await page.locator('#doc-text mark').first().isVisible()).toBe(true);
    }
    await page.close();
  });

  it('filters, highlights findings in place, and runs no script found in the corpus', async () => {
    const root = makeTree({
      'corpus/a-markup.txt': [
        'Officials said <script>window.__corpusScriptRan = true; document.title = "pwned"</script> the the plan was ready.',
        'A scraped image <img src="x" onerror="window.__corpusScriptRan = true"> stayed in the text.',
        '',
      ].join('\n'),
      'corpus/b-markets.txt': 'Shares rose as as investors cheered the figures.\nThe index closed higher on Friday.\n',
      'corpus/c-weather.txt': 'Rain is expected across the north on Sunday.\nTemperatures will will fall overnight.\n',
      'corpus/d-clean.txt': 'The council met on Tuesday to approve the budget.\n',
    });
    const { html, report } = await reportOf(root, 'corpus');
    const page = await open(html);
    expect(await numberIn(page, '#count-documents')).toBe(4);
    expect(await numberIn(page, '#count-warnings')).toBe(report.summary.warnings);
    expect(report.summary.warnings).toBe(3);
    expect(await rowCount(page)).toBe(3);

    await page.fill('#filter-file', 'markets');
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.fill('#filter-file', '');
    await expect.poll(() => rowCount(page)).toBe(3);
    await page.selectOption('#filter-severity', 'error');
    await expect.poll(() => rowCount(page)).toBe(0);
    await page.selectOption('#filter-severity', '');
    await expect.poll(() => rowCount(page)).toBe(3);

    await page.click('#doc-rows tr[data-doc] >> text=a-markup.txt');
    const text = await page.textContent('#doc-text');
    expect(text).toContain('<script>window.__corpusScriptRan = true;');
    expect(text).toContain('<img src="x" onerror=');
    expect(await page.evaluate(() => (window as unknown as { __corpusScriptRan?: boolean }).__corpusScriptRan)).toBeUndefined();
    expect(await page.title()).toBe('corpus-lint report');
    expect(await page.locator('#doc-text img, #doc-text script').count()).toBe(0);

    const mark = page.locator('#doc-text mark[data-rule="repeated-words"]').first();
    expect(await mark.textContent()).toMatch(/the the/);
    await mark.click();
    const detail = await page.textContent('#finding-detail');
    expect(detail).toContain('repeated-words');
    expect(detail).toContain('Unexpected repeated `the`');
    expect(requests).toEqual([]);
    await page.close();
  });

  it('shows duplicate pairs side by side and name variants grouped by expected form', async () => {
    const first = 'Rescue teams reached the village late on Monday. The bridge over the river was washed away overnight.\n';
    const second = 'Officials confirmed the damage. The bridge over the river was washed away overnight. Zelenskiy visited.\n';
    const shared = 'The bridge over the river was washed away overnight.';
    const span = (text: string, needle: string) => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
    const a = span(first, shared);
    const b = span(second, shared);
    const v = span(second, 'Zelenskiy');
    const at = (start: number, end: number) => ({ line: 1, column: start + 1, endLine: 1, endColumn: end + 1, start, end });
    const report: Report = {
      version: '1.0.0',
      tool: { name: 'corpus-lint', version: '0.0.0' },
      summary: {
        documents: 2, errors: 0, warnings: 2, infos: 1, fatal: 0,
        byRule: { 'duplicate-passage': { errors: 0, warnings: 2, infos: 0 }, 'spelling-inconsistency': { errors: 0, warnings: 0, infos: 1 } },
      },
      files: [
        { path: 'corpus/first.txt', messages: [{ ruleId: 'duplicate-passage', severity: 'warning', message: 'Unexpected passage repeated from corpus/second.txt', ...at(a.start, a.end), related: [{ path: 'corpus/second.txt', message: 'Same passage', ...at(b.start, b.end) }] }] },
        {
          path: 'corpus/second.txt',
          messages: [
            { ruleId: 'duplicate-passage', severity: 'warning', message: 'Unexpected passage repeated from corpus/first.txt', ...at(b.start, b.end), related: [{ path: 'corpus/first.txt', message: 'Same passage', ...at(a.start, a.end) }] },
            { ruleId: 'spelling-inconsistency', severity: 'info', message: 'Unexpected `Zelenskiy`, expected `Zelensky`', ...at(v.start, v.end), actual: 'Zelenskiy', expected: ['Zelensky'], kind: 'name-variant' },
          ],
        },
      ],
    };
    const whole = (text: string): DocumentText => ({ length: text.length, segments: [{ start: 0, text }] });
    const texts = new Map([['corpus/first.txt', whole(first)], ['corpus/second.txt', whole(second)]]);
    const htmlPath = join(mkdtempSync(join(tmpdir(), 'corpus-lint-html-')), 'pairs.html');
    writeFileSync(htmlPath, formatHtml(report, { texts }));
    const page = await open(htmlPath);
    const pairs = page.locator('#pairs .pair[data-rule="duplicate-passage"]');
    expect(await pairs.count(), 'a pair reported from both sides shows once').toBe(1);
    const marks = pairs.first().locator('.passage mark.shared');
    expect(await marks.count()).toBe(2);
    expect(await marks.allTextContents()).toEqual([shared, shared]);
    const group = page.locator('#variants .group[data-expected="Zelensky"]');
    const groupText = await group.textContent();
    expect(groupText).toContain('Zelenskiy');
    expect(groupText).toContain('corpus/second.txt:1:');
    expect(await page.locator('#doc-text mark[data-rule~="duplicate-passage"]').first().textContent()).toBe(shared);
    await page.click('#doc-text mark[data-rule="spelling-inconsistency"]');
    const detail = await page.textContent('#finding-detail');
    expect(detail).toContain('expected');
    expect(detail).toContain('Zelensky');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(requests).toEqual([]);
    await page.close();
  });

  it('opens a report of 10,000 documents quickly, one page of rows at a time, sortable by findings', async () => {
    const { report, texts } = largeReport(10_000);
    const htmlPath = join(mkdtempSync(join(tmpdir(), 'corpus-lint-html-')), 'large.html');
    writeFileSync(htmlPath, formatHtml(report, { texts }));
    const started = Date.now();
    const page = await open(htmlPath);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await rowCount(page)).toBe(50);
    expect(await page.textContent('#doc-count')).toBe('1\u201350 of 10,000 documents');
    expect(await numberIn(page, '#count-findings')).toBe(20_000);
    await page.click('button.sort[data-sort="error"]');
    expect(await page.textContent('#doc-rows tr[data-doc] td:nth-child(3) >> nth=0')).toBe('1');
    await page.click('button.sort[data-sort="error"]');
    expect(await page.textContent('#doc-rows tr[data-doc] td:nth-child(3) >> nth=0')).toBe('');
    await page.click('#doc-pager button >> text=Next');
    expect(await page.textContent('#doc-count')).toBe('51\u2013100 of 10,000 documents');
    await page.close();
  }, 60_000);
});
