// review.test.mjs - the page written by "tiesvm review", in a real browser.
//
// Runs ./tiesvm classify on examples/ and ./tiesvm review on its output, opens
// the page in Debian's headless Chromium through playwright-core, and checks
// what an analyst does with it: every record is a paragraph, filters and the
// least-confident order work, actor mentions are highlighted, a label can be
// changed, and the export (textarea and Blob download alike) is JSON Lines
// that "tiesvm train" accepts.  A second page checks hostile text, "why"
// terms, error records and bad input lines.
//
//   make check-browser                 (from the repository root)
//   UPDATE_SCREENSHOT=1 make check-browser   also rewrites docs/review.png
//
// $CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

let passed = 0;
function ok(what) {
  passed++;
  console.log(`ok ${passed} - ${what}`);
}

// Runs ./tiesvm from the repository root; returns {status, stdout, stderr}.
// With cwd, runs there (the binary is still the checkout's).
function tiesvm(args, input, cwd) {
  const r = spawnSync(path.join(ROOT, 'tiesvm'), args,
    { cwd: cwd || ROOT, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return r;
}

function parseJsonl(text) {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
}

// Opens a page, failing the test on any script error or any request that
// leaves the machine (the page must work offline).
async function openPage(context, file) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('request', (r) => {
    if (!/^(file|blob|data):/.test(r.url())) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, problems };
}

async function paragraphCount(page) {
  return page.locator('article.para').count();
}

async function exportBoth(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
  const downloaded = fs.readFileSync(await download.path(), 'utf8');
  const text = await page.$eval('#export-text', (t) => t.value);
  assert.equal(downloaded, text, 'the download and the textarea hold the same export');
  return { text, name: download.suggestedFilename() };
}

async function testExamplesPage(context, work) {
  const classified = tiesvm(['classify', 'examples/']);
  assert.equal(classified.status, 0, classified.stderr);
  const labelsFile = path.join(work, 'labels.jsonl');
  fs.writeFileSync(labelsFile, classified.stdout);
  const records = parseJsonl(classified.stdout);
  assert.ok(records.length > 10, 'the examples give a realistic number of records');

  const pageFile = path.join(work, 'review.html');
  const reviewed = tiesvm(['review', 'labels.jsonl', '-o', 'review.html'], undefined, work);
  assert.equal(reviewed.status, 0, reviewed.stderr);
  const { page, problems } = await openPage(context, pageFile);
  assert.equal(await page.locator('#source').textContent(), 'labels.jsonl');

  assert.equal(await paragraphCount(page), records.length);
  ok(`one paragraph element per record (${records.length})`);

  const docs = [...new Set(records.map((r) => r.doc))];
  assert.deepEqual(await page.locator('section.doc h2').allTextContents(), docs);
  ok('paragraphs are grouped by document, in input order');

  // Actor mentions: the title paragraph of the Iran article names al-Qaeda and Iran.
  const titleIndex = records.findIndex((r) => /al-Qaeda in Iran/.test(r.text));
  assert.ok(titleIndex >= 0);
  const marks = await page.locator(`article.para[data-index="${titleIndex}"] mark.actor`).allTextContents();
  assert.deepEqual(marks, ['Tehran', 'al-Qaeda', 'Iran']);
  ok('actor mentions are highlighted, spelling variants included');

  // Filter by a label of the stance head.
  const disputes = records.filter((r) => r.stance.label === 'disputes').length;
  assert.ok(disputes > 0 && disputes < records.length);
  await page.selectOption('select.filter[data-head="stance"]', 'disputes');
  assert.equal(await paragraphCount(page), disputes);
  const shownLabels = await page.$$eval('article.para select[data-head="stance"]', (s) => s.map((x) => x.value));
  assert.ok(shownLabels.every((l) => l === 'disputes'));
  await page.selectOption('select.filter[data-head="stance"]', '');
  assert.equal(await paragraphCount(page), records.length);
  ok(`filtering stance = disputes shows ${disputes} of ${records.length}`);

  // Filter by actor and by document.
  const withTaliban = records.filter((r) => r.actors.includes('taliban')).length;
  await page.selectOption('#filter-actor', 'taliban');
  assert.equal(await paragraphCount(page), withTaliban);
  await page.selectOption('#filter-actor', '');
  await page.selectOption('#filter-doc', docs[1]);
  assert.equal(await paragraphCount(page), records.filter((r) => r.doc === docs[1]).length);
  await page.selectOption('#filter-doc', '');
  ok('filters by actor and by document');

  // Least confident first: by the smallest confidence over the heads.
  const least = (r) => Math.min(r.stance.confidence, r.topic.confidence);
  const expected = records.map((r, i) => [least(r), i]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => String(i));
  await page.selectOption('#order', 'confidence');
  const order = await page.$$eval('article.para', (a) => a.map((x) => x.dataset.index));
  assert.deepEqual(order, expected);
  await page.selectOption('#order', 'document');
  ok('least confident first orders by the minimum head confidence');

  // Change one paragraph's stance.
  const changed = records.findIndex((r) => r.stance.label === 'neutral' && r.actors.length > 0);
  assert.ok(changed >= 0);
  const paragraph = page.locator(`article.para[data-index="${changed}"]`);
  await paragraph.locator('select[data-head="stance"]').selectOption('asserts');
  assert.match(await paragraph.getAttribute('class'), /\breviewed\b/);
  assert.equal(await paragraph.locator('.head[data-head="stance"] .conf').textContent(),
    records[changed].stance.scores.asserts.toFixed(2));
  ok(`changed record ${changed}'s stance from neutral to asserts`);

  if (process.env.UPDATE_SCREENSHOT === '1') {
    await page.setViewportSize({ width: 1200, height: 1000 });
    await page.screenshot({ path: path.join(ROOT, 'docs', 'review.png') });
    ok('wrote docs/review.png');
  }

  const all = await exportBoth(page);
  assert.equal(all.name, 'labels.reviewed.jsonl');
  const exported = parseJsonl(all.text);
  assert.equal(exported.length, records.length, 'by default every record is exported');
  exported.forEach((record, i) => {
    const want = structuredClone(records[i]);
    if (i === changed) {
      want.stance.label = 'asserts';
      want.reviewed = true;
    }
    assert.deepEqual(record, want);
  });
  ok('export: all records, the changed one with the new label and "reviewed": true, the rest as read');

  await page.check('#only-reviewed');
  const onlyReviewed = parseJsonl((await exportBoth(page)).text);
  assert.equal(onlyReviewed.length, 1);
  assert.equal(onlyReviewed[0].stance.label, 'asserts');
  ok('"only reviewed" exports just the reviewed record');

  // The export trains as it stands.  The example articles alone have too
  // few examples of some labels, so the fixture corpus is added.
  const exportFile = path.join(work, 'exported.jsonl');
  fs.writeFileSync(exportFile, all.text);
  const trained = tiesvm(['train', '--data', exportFile, '--data', 'tests/fixtures/train.jsonl',
    '--out', path.join(work, 'model'), '--jobs', '2']);
  assert.equal(trained.status, 0, trained.stderr);
  const fixtures = parseJsonl(fs.readFileSync(path.join(ROOT, 'tests/fixtures/train.jsonl'), 'utf8'));
  assert.match(trained.stdout, new RegExp(`\\(${records.length + fixtures.length} examples`));
  ok('tiesvm train accepts the exported records');

  assert.deepEqual(problems, []);
  ok('no script errors and no network requests');
  await page.close();
}

async function testHostilePage(context, work) {
  const hostileText = '</script><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' +
    ' <!-- \u2028 & al Qaeda met Tehran\'s envoy';
  const lines = [
    JSON.stringify({ doc: 'hostile.txt', para: 0, start: 0, end: 10, text: hostileText,
      stance: { label: 'asserts', confidence: 0.55, scores: { asserts: 0.55, disputes: 0.25, neutral: 0.2 } },
      actors: ['al-qaeda', 'iran'],
      why: { stance: [['no evidence', 0.41], ['denied', -0.22]] } }),
    JSON.stringify({ doc: 'missing.txt', error: 'missing.txt: cannot open: No such file or directory' }),
    'this line is not JSON',
    JSON.stringify({ doc: 'other.txt', para: 0, text: 'A plain paragraph.',
      source_type: { label: 'report', confidence: 0.7, scores: { opinion: 0.3, report: 0.7 } }, actors: [] }),
  ];
  const labelsFile = path.join(work, 'hostile.jsonl');
  fs.writeFileSync(labelsFile, lines.join('\n') + '\n');
  const pageFile = path.join(work, 'hostile.html');
  const reviewed = tiesvm(['review', labelsFile, '--out', pageFile]);
  assert.equal(reviewed.status, 2);
  assert.match(reviewed.stderr, /hostile\.jsonl:3: not a JSON object/);
  ok('a bad line: exit 2 and FILE:LINE on stderr');

  const { page, problems } = await openPage(context, pageFile);
  assert.equal(await paragraphCount(page), 4);
  assert.equal(await page.locator('article.para.error').count(), 2);
  assert.match(await page.locator('article.para.error').nth(1).textContent(), /hostile\.jsonl:3:/);
  ok('the bad line and the error record are shown as errors, the rest as paragraphs');

  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('article.para[data-index="0"] p.text').textContent(), hostileText);
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(await page.locator('article.para[data-index="0"] mark.actor').allTextContents(),
    ['al Qaeda', 'Tehran']);
  ok('hostile text is shown as text and runs nothing');

  const why = page.locator('article.para[data-index="0"] details.why');
  assert.equal(await why.locator('td.term').first().isVisible(), false);
  await why.locator('summary').click();
  assert.deepEqual(await why.locator('td.term').allTextContents(), ['no evidence', 'denied']);
  assert.equal(await page.locator('details.why').count(), 1, 'no "why" where a record has none');
  ok('"why" terms are shown on demand');

  assert.deepEqual(await page.$$eval('article.para[data-index="3"] select[data-head="source_type"] option',
    (o) => o.map((x) => x.value)), ['opinion', 'report']);
  await page.selectOption('select.filter[data-head="source_type"]', 'opinion');
  assert.equal(await paragraphCount(page), 0);
  await page.selectOption('select.filter[data-head="source_type"]', '');
  ok('any head with a "label" gets a select and a filter');

  const exported = parseJsonl((await exportBoth(page)).text);
  assert.deepEqual(exported.map((r) => r.doc), ['hostile.txt', 'other.txt']);
  assert.equal(exported[0].text, hostileText);
  assert.deepEqual(exported[0].why, JSON.parse(lines[0]).why);
  ok('error records are not exported; hostile text round-trips exactly');

  assert.deepEqual(problems, []);
  await page.close();
}

async function testEmptyPage(context, work) {
  const pageFile = path.join(work, 'empty.html');
  const reviewed = tiesvm(['review', '-', '-o', pageFile], '');
  assert.equal(reviewed.status, 0, reviewed.stderr);
  const { page, problems } = await openPage(context, pageFile);
  assert.match(await page.locator('main').textContent(), /No records in stdin/);
  assert.equal(await paragraphCount(page), 0);
  assert.deepEqual(problems, []);
  ok('empty input gives a page that says there are no records');
  await page.close();
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tiesvm-browser-'));
  // chromium.launch starts the browser with a fresh temporary profile
  // (user-data-dir) of its own and removes it on close.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    await testExamplesPage(context, work);
    await testHostilePage(context, work);
    await testEmptyPage(context, work);
    await context.close();
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`all ${passed} browser checks passed`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
