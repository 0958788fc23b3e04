import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../src/formatters/html.js';
import { buildReport } from '../src/report.js';
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
    // Once duplicate-passage is on, sample 002's duplicate is highlighted in place and shown as a pair.
    const sample = withFindings.find((file) => file.path.includes('/002_'));
    const duplicate = sample?.messages.find((message) => message.ruleId === 'duplicate-passage');
    if (sample && duplicate) {
      await page.click(`#doc-rows tr[data-doc] >> text=${sample.path}`);
      const text = readFileSync(join(repoRoot, sample.path), 'utf8').replace(/^\uFEFF/, '');
      const marked = await page.locator('#doc-text mark[data-rule~="duplicate-passage"]').allTextContents();
      expect(marked.join('')).toContain(text.slice(duplicate.start, duplicate.end).slice(0, 40));
      expect(await page.locator('#pairs mark.shared').count()).toBeGreaterThan(0);
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
      'corpus/e-feed.jsonl': [
        JSON.stringify({ id: 'wire-41', text: 'A quiet day on the markets.' }),
        JSON.stringify({ id: 'wire-42', text: 'The minister said it was was too early to tell.' }),
      ].join('\n'),
    });
    const { html, report } = await reportOf(root, 'corpus');
    const page = await open(html);
    expect(await numberIn(page, '#count-documents')).toBe(6);
    expect(await numberIn(page, '#count-warnings')).toBe(report.summary.warnings);
    expect(report.summary.byRule['repeated-words'].warnings).toBe(4);
    expect(report.summary.byRule['scraping-artifact'].warnings).toBeGreaterThan(0);
    expect(await rowCount(page)).toBe(4);

    await page.fill('#filter-file', 'markets');
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.fill('#filter-file', 'wire-42');
    await expect.poll(() => page.locator('#doc-rows tr[data-doc] td.name').allTextContents()).toEqual(['corpus/e-feed.jsonl:2 (wire-42)']);
    await page.click('#doc-rows tr[data-doc]');
    expect(await page.textContent('#doc-title')).toBe('corpus/e-feed.jsonl:2 (wire-42)');
    expect(await page.textContent('#doc-text mark')).toBe('was was');
    await page.fill('#filter-file', '');
    await expect.poll(() => rowCount(page)).toBe(4);
    await page.selectOption('#filter-severity', 'error');
    await expect.poll(() => rowCount(page)).toBe(0);
    await page.selectOption('#filter-severity', '');
    await expect.poll(() => rowCount(page)).toBe(4);

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

  it('shows every rule generically, duplicate pairs side by side and name variants grouped by expected form', async () => {
    const first = [
      ' date 2024-03-14',
      'Rescue teams reached the village of Dolna late on Monday after two days of heavy rain.',
      'The bridge over the river was washed away overnight, cutting off two farms.',
      'Share on Facebook Share on X Email',
      'Mayor Katarzyna Nowak said repairs would begin on 12 March 2031 at the earliest.',
      'You may also like',
      'Ten ways to keep your garden dry this spring',
      '',
    ].join('\n');
    const second = [
      ' date 2024-03-15',
      'Officials in Dolna confirmed the damage on Tuesday.',
      'The bridge over the river was washed away overnight, cutting off two farms.',
      'Mayor Katarzyna Novak asked residents to keep away from the riverbank.',
      '',
    ].join('\n');
    const shared = 'The bridge over the river was washed away overnight, cutting off two farms.';
    const place = (text: string, needle: string) => {
      const start = text.indexOf(needle);
      const end = start + needle.length;
      const point = (offset: number) => {
        const before = text.slice(0, offset).split('\n');
        return { line: before.length, column: before[before.length - 1].length + 1 };
      };
      const from = point(start);
      const to = point(end);
      return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, start, end };
    };
    const report = buildReport([
      {
        path: 'corpus/first.txt',
        date: '2024-03-14',
        messages: [
          { ruleId: 'duplicate-passage', severity: 'warning', message: 'Unexpected passage repeated from corpus/second.txt', ...place(first, shared), related: [{ path: 'corpus/second.txt', message: 'Same passage', ...place(second, shared) }] },
          { ruleId: 'scraping-artifact', severity: 'error', message: 'Unexpected share bar left by the scraper', kind: 'share-bar', ...place(first, 'Share on Facebook Share on X Email\n') },
          { ruleId: 'implausible-date', severity: 'warning', message: 'Unexpected date 2031-03-12, seven years after the article', ...place(first, '12 March 2031'), expected: ['a date near 2024-03-14'] },
          { ruleId: 'off-topic-trailer', severity: 'warning', message: 'Unexpected trailer of unrelated headlines', ...place(first, 'You may also like\nTen ways to keep your garden dry this spring\n') },
        ],
      },
      {
        path: 'corpus/second.txt',
        date: '2024-03-15',
        messages: [
          { ruleId: 'duplicate-passage', severity: 'warning', message: 'Unexpected passage repeated from corpus/first.txt', ...place(second, shared), related: [{ path: 'corpus/first.txt', message: 'Same passage', ...place(first, shared) }] },
          { ruleId: 'spelling-inconsistency', severity: 'info', message: 'Unexpected `Novak`, expected `Nowak`', kind: 'name-variant', actual: 'Novak', expected: ['Nowak'], ...place(second, 'Novak'), related: [{ path: 'corpus/first.txt', message: 'Nowak here', ...place(first, 'Nowak') }] },
        ],
      },
    ]);
    const whole = (text: string): DocumentText => ({ length: text.length, segments: [{ start: 0, text }] });
    const texts = new Map([['corpus/first.txt', whole(first)], ['corpus/second.txt', whole(second)]]);
    const htmlPath = join(mkdtempSync(join(tmpdir(), 'corpus-lint-html-')), 'pairs.html');
    writeFileSync(htmlPath, formatHtml(report, { texts }));
    const page = await open(htmlPath);

    expect(await page.locator('.chart-row').count()).toBe(5);
    expect(await page.textContent('#doc-rows tr[data-doc] td.name >> nth=0')).toBe('corpus/first.txt');
    const ruleMarks = await page.locator('#doc-text mark').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-rule')));
    expect(new Set(ruleMarks)).toEqual(new Set(['duplicate-passage', 'scraping-artifact', 'implausible-date', 'off-topic-trailer']));

    const pairs = page.locator('#pairs .pair[data-rule="duplicate-passage"]');
    expect(await pairs.count(), 'a pair reported from both sides shows once').toBe(1);
    const marks = pairs.first().locator('.passage mark.shared');
    expect(await marks.allTextContents()).toEqual([shared, shared]);

    const group = page.locator('#variants .group[data-expected="Nowak"]');
    const groupText = await group.textContent();
    expect(groupText).toContain('Novak');
    expect(groupText).toContain('corpus/second.txt:4:17');
    expect(groupText).toContain('1 place with the expected form');

    await page.selectOption('#filter-rule', 'scraping-artifact');
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(await page.locator('#doc-text mark').count()).toBe(1);
    await page.selectOption('#filter-rule', '');
    await expect.poll(() => rowCount(page)).toBe(2);

    expect(await page.getAttribute('#doc-text mark[data-rule="implausible-date"]', 'title')).toBe(
      'implausible-date: Unexpected date 2031-03-12, seven years after the article (expected: a date near 2024-03-14)',
    );
    await page.click('#doc-text mark[data-rule="implausible-date"]');
    const detail = await page.textContent('#finding-detail');
    expect(detail).toContain('implausible-date');
    expect(detail).toContain('expecteda date near 2024-03-14');
    expect(detail).toContain('found12 March 2031');
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
