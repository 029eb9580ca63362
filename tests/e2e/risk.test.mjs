// End-to-end: the risk page on the demo profile with 120 days of fixture closes (served by
// the intercepted CoinGecko market_chart), checked against the same metrics computed here in
// JavaScript from the fixture's price path; the report comes from a Web Worker. The page is
// laid out as design.md's "Risk as cards and tabs": settings in one line (Edit opens them),
// coverage, summary cards, then sections in tabs. A fresh profile without any history sees
// its coverage (0 %) and loads history right there, without an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, newContext, openApp, providerMocks, historyFactor, FIXTURES } from './harness.mjs';

const DAY = 86400000;
let env;
let page;
const requested = [];

before(async () => {
  env = await start();
  const context = await newContext(env, providerMocks({ historyDays: 120 }));
  page = await openApp(context, env);
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.waitForFunction(() => !document.querySelector('#price-status')?.textContent.includes('updating'), null, { timeout: 30000 });
  await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page.click('#load-history');
  await page.waitForFunction(() => /Daily history for/.test(document.querySelector('#history-status')?.textContent ?? ''), null, { timeout: 60000 });
  await page.getByRole('link', { name: 'Risk', exact: true }).click();
  await page.waitForSelector('#risk-kpis, #risk-error', { timeout: 60000 });
});

after(async () => {
  assert.deepEqual(env.external, [], 'no request left the page');
  assert.deepEqual(page.errors, [], 'no uncaught errors (panics) in the page');
  await env.close();
});

/** Opens the settings' fields (the settings line's Edit) when they are closed. */
async function editSettings() {
  if (!(await page.locator('#risk-settings').evaluate((d) => d.open))) await page.click('#risk-settings > summary');
}

/** Shows a section of the report (a tab). */
const openTab = (name) => page.getByRole('tab', { name, exact: true }).click();

async function downloaded(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await d.path(), 'utf8');
}

const mean = (x) => x.reduce((a, b) => a + b, 0) / x.length;
const std = (x) => { const m = mean(x); return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1)); };
function percentile(x, p) {
  const v = [...x].sort((a, b) => a - b);
  const h = (v.length - 1) * p;
  const lo = Math.floor(h);
  return v[lo] + (h - lo) * (v[Math.ceil(h)] - v[lo]);
}
function maxDrawdown(r) {
  let w = 1, peak = 1, worst = 0;
  for (const x of r) { w *= 1 + x; peak = Math.max(peak, w); worst = Math.min(worst, w / peak - 1); }
  return worst;
}
const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1e-6, Math.abs(b)), `${what}: ${a} vs ${b}`);

// Numbers as the page writes them (Rust's `format!`, which keeps the sign of −0).
const fixed = (x, digits) => (Object.is(x, -0) ? '-' : '') + x.toFixed(digits);
const pct = (x) => `${fixed(x * 100, 2)} %`;
const UNDEFINED = 'undefined (not enough data or a zero denominator)';
function shown(m) {
  if (m.value === null) return UNDEFINED;
  switch (m.unit) {
    case 'fraction': return pct(m.value);
    case 'days': return `${fixed(m.value, 0)} days`;
    case 'assets': case 'index': return fixed(m.value, 2);
    default: return fixed(m.value, 3);
  }
}

/** The page's metrics, VaR and score tables as text, to compare with the JSON report. */
function pageTables() {
  const cells = (sel) => [...document.querySelectorAll(sel)].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent));
  return {
    metrics: cells('#risk-metrics tbody tr'),
    var: cells('#risk-var tbody tr'),
    riskSteps: [...document.querySelectorAll('#risk-score li')].map((li) => li.textContent),
    structuralSteps: [...document.querySelectorAll('#structural-score li')].map((li) => li.textContent),
    level: document.querySelector('#risk-level')?.textContent,
    notices: [...document.querySelectorAll('#risk-notices li')].map((li) => li.textContent),
  };
}

/** Every table figure on the page is the report's, written as the page writes it. */
async function assertPageShows(r) {
  const t = await page.evaluate(pageTables);
  assert.deepEqual(t.metrics, r.metrics.map((m) => [m.name, shown(m), m.method]));
  assert.deepEqual(t.var, r.var.map((v) => [
    v.method, `${fixed(v.confidence * 100, 0)} %`, `${v.horizon} d`,
    v.var === null ? 'undefined' : pct(v.var), v.cvar === null ? '—' : pct(v.cvar),
  ]));
  const step = ([rule, p]) => `${rule}: ${p > 0 || Object.is(p, 0) ? '+' : ''}${fixed(p, 1)}`;
  assert.deepEqual(t.riskSteps, r.risk_score.steps.map(step));
  assert.deepEqual(t.structuralSteps, r.structural.steps.map(step));
  assert.equal(t.level, r.risk_score.level.replace('_', ' '));
  assert.deepEqual(t.notices, r.notices);
}

/**
 * Pixels of a canvas: how many are within 40 (summed over R, G, B) of each colour asked
 * for, and the span of columns where the first colour is found.
 */
function canvasColours({ id, colours }) {
  const canvas = document.querySelector(id);
  const { width, height } = canvas;
  const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const counts = colours.map(() => 0);
  let left = width, right = -1;
  for (let i = 0; i < data.length; i += 4) {
    colours.forEach(([r, g, b], k) => {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 40) {
        counts[k] += 1;
        if (k === 0) { const x = (i / 4) % width; left = Math.min(left, x); right = Math.max(right, x); }
      }
    });
  }
  return { width, counts, left, right };
}

/** The correlation heatmap's cells (an HTML table): text, tint class and strength. */
function heatCells(id) {
  return [...document.querySelectorAll(`${id} tbody tr`)].map((tr) => [...tr.querySelectorAll('td')].map((td) => ({
    text: td.textContent,
    up: td.classList.contains('up'),
    strength: Number(td.style.getPropertyValue('--a')),
    background: getComputedStyle(td).backgroundColor,
  })));
}

/**
 * The charts are drawn from the report, in the theme's colours (Okabe–Ito, light theme):
 * lines across the plot, bars, VaR marks; the heatmap's cells say and tint each correlation.
 */
/**
 * The colour counts of chart `id` once it is drawn: a chart in a tab just opened is drawn
 * when the browser has laid it out (its resize observer), a moment after the click, so
 * the counts are read again until the first colour reaches `min` (or 5 s have passed).
 */
async function drawnColours(id, colours, min) {
  let c;
  for (let i = 0; i < 50; i++) {
    c = await page.evaluate(canvasColours, { id, colours });
    if (c.counts[0] >= min) break;
    await page.waitForTimeout(100);
  }
  return c;
}

async function assertChartsDrawn(r) {
  const BLUE = [0, 114, 178];
  // The check tells a blank canvas from a drawn one.
  await page.evaluate(() => {
    const c = Object.assign(document.createElement('canvas'), { id: 'blank-probe', width: 420, height: 220 });
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 420, 220);
    document.body.append(c);
  });
  const blank = await page.evaluate(canvasColours, { id: '#blank-probe', colours: [BLUE] });
  await page.evaluate(() => document.querySelector('#blank-probe').remove());
  assert.equal(blank.counts[0], 0, 'a blank canvas has no line');
  await openTab('Over time');
  for (const id of ['#chart-drawdown', '#chart-rolling-vol', '#chart-rolling-sharpe']) {
    const c = await drawnColours(id, [BLUE], 150);
    assert.ok(c.counts[0] >= 150, `${id}: ${c.counts[0]} pixels of the line`);
    assert.ok(c.right - c.left >= 0.6 * c.width, `${id}: the line spans ${c.left}–${c.right} of ${c.width}`);
  }
  await openTab('Tail risk');
  const mc = await drawnColours('#chart-mc', [[86, 180, 233], [230, 159, 0], [213, 94, 0]], 1000);
  assert.ok(mc.counts[0] >= 1000, `#chart-mc: ${mc.counts[0]} pixels of bars`);
  assert.ok(mc.counts[1] >= 50 && mc.counts[2] >= 50, `#chart-mc: VaR ${mc.counts[1]} and CVaR ${mc.counts[2]} pixels`);
  await openTab('Correlation');
  const cells = await page.evaluate(heatCells, '#risk-correlation');
  const surface = 'rgb(255, 255, 255)';
  r.correlation.forEach((row, i) => row.forEach((c, j) => {
    const got = cells[i][j];
    const want = `${c < 0 && Math.abs(c).toFixed(2) !== '0.00' ? '−' : ''}${Math.abs(c).toFixed(2)}`;
    assert.equal(got.text, want, `heatmap cell ${i},${j}`);
    assert.equal(got.up, c >= 0, `heatmap cell ${i},${j}: ${c}`);
    assert.equal(got.strength, Math.round(Math.min(1, Math.abs(c)) * 100), `heatmap cell ${i},${j}: ${c}`);
    if (Math.abs(c) >= 0.05) assert.notEqual(got.background, surface, `heatmap cell ${i},${j} is tinted`);
  }));
}

test('the risk page shows the metrics of the known portfolio, computed in a worker, and the JSON matches', async () => {
  assert.deepEqual(await page.locator('#risk-error').allTextContents(), []);
  assert.ok(requested.includes('/risk_worker_loader.js'), 'the report came from the Web Worker');
  const doc = JSON.parse(await downloaded('#export-risk-json'));
  const r = doc.report;
  // 120 daily closes shared by every coin: 119 returns; crypto only, so 365 periods a year.
  assert.equal(r.points, 119);
  assert.equal(r.annualisation, 365);
  const today = Math.floor(Date.now() / DAY) * DAY;
  const dates = r.drawdown.map((d) => d[0]);
  const port = dates.map((date) => {
    const back = Math.round((today - Date.parse(date + 'T00:00:00Z')) / DAY);
    return r.weights.reduce((s, [sym, w]) => s + w * (historyFactor(sym, back) / historyFactor(sym, back + 1) - 1), 0);
  });
  const metric = (name) => r.metrics.find((m) => m.name === name).value;
  near(metric('Annual volatility'), std(port) * Math.sqrt(365), 'volatility');
  near(metric('Max drawdown'), maxDrawdown(port), 'max drawdown');
  near(metric('Sharpe ratio'), (mean(port) / std(port)) * Math.sqrt(365), 'Sharpe');
  const hist95 = r.var.find((v) => v.model === 'historical' && v.confidence === 0.95 && v.horizon === 1);
  near(hist95.var, percentile(port, 0.05), 'historical VaR 95');
  // Over the 10-day horizon, each run of 10 days compounded.
  const tenDays = port.slice(9).map((_, i) => port.slice(i, i + 10).reduce((w, x) => w * (1 + x), 1) - 1);
  const hist10 = r.var.find((v) => v.model === 'historical' && v.confidence === 0.95 && v.horizon === 10);
  near(hist10.var, percentile(tenDays, 0.05), 'historical 10-day VaR 95, compounded');
  assert.match(hist10.method, /compounded/);
  const z95 = -1.6448536269514722;
  const param95 = r.var.find((v) => v.model === 'parametric' && v.confidence === 0.95 && v.horizon === 1);
  near(param95.var, mean(port) + z95 * std(port), 'parametric VaR 95');
  const mc = r.var.find((v) => v.model === 'monte_carlo' && v.confidence === 0.95 && v.horizon === 1);
  assert.ok(Math.abs(mc.var - param95.var) < 0.1 * Math.abs(param95.var), `Monte Carlo ${mc.var} near normal ${param95.var}`);
  assert.equal(r.var.length, 16);

  // The page shows the same numbers, with methods and the window.
  const row = (name) => page.locator('#risk-metrics tr', { has: page.locator(`th:text-is("${name}")`) }).locator('td').first().textContent();
  assert.equal(await row('Annual volatility'), `${(metric('Annual volatility') * 100).toFixed(2)} %`);
  assert.equal(await row('Max drawdown'), `${(metric('Max drawdown') * 100).toFixed(2)} %`);
  assert.match(await page.locator('#risk-window-line').textContent(), /^119 daily returns from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(window 365 days\), annualised with 365/);
  assert.equal(await page.locator('#risk-score-value').textContent(), r.risk_score.value.toFixed(1));
  assert.equal(await page.locator('#risk-var tbody tr').count(), 16);
  assert.equal(await page.locator('#risk-stress tbody tr').count(), 6);
  // Every figure of the tables and of the score steps, and the charts.
  await assertPageShows(r);
  assert.ok(r.metrics.some((m) => m.name === 'Diversification ratio (Choueifaty)') && r.metrics.some((m) => m.name === 'SmartFolio diversification index'));
  assert.ok(!r.metrics.some((m) => m.name === 'Diversification ratio'), 'one name per figure');
  await assertChartsDrawn(r);
  // Contributions: percent of volatility sums to 100 %.
  const contribution = r.contributions.reduce((a, c) => a + c[3], 0);
  assert.ok(Math.abs(contribution - 1) < 1e-9, `contributions sum to ${contribution}`);
  // A custom scenario: BTC −50 %, nothing else.
  const btc = r.stress[0].groups.find((g) => g[0] === 'BTC');
  await openTab('Stress');
  await page.fill('#custom-shock-btc', '-50');
  const money = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  await page.waitForFunction((t) => document.querySelector('#custom-stress-total')?.textContent.startsWith(t), `Total change ${money(-btc[1] / 2)}`);
  const csv = await downloaded('#export-risk-csv');
  assert.match(csv.replace(/^\uFEFF/, ''), /^section,name,value,unit,method\n/);
  assert.ok(csv.includes(`metric,Annual volatility,${metric('Annual volatility')},fraction,`));
});

test('coverage comes first: what the report leaves out, how to bring it in, and “partial” below the threshold the user sets', async () => {
  // The demo's stocks and ETFs have no daily history (no Twelve Data key): the report covers its coins only.
  const r = JSON.parse(await downloaded('#export-risk-json')).report;
  assert.ok(r.coverage > 0 && r.coverage < 1 && r.missing.length > 0, `coverage ${r.coverage}, missing ${r.missing}`);
  assert.equal(await page.locator('#risk-coverage-value').textContent(), pct(r.coverage));
  assert.equal(await page.locator('#risk-missing').textContent(), `Left out, without daily history: ${r.missing.join(', ')}.`);
  // What is left out and how to bring it in, by kind: coins load right there (the demo's all
  // have a history by now), stocks and ETFs need a price CSV (Folio loads none for them).
  assert.equal(await page.locator('#risk-load-history').count(), r.missing_coins.length > 0 ? 1 : 0);
  const others = r.missing.filter((m) => !r.missing_coins.includes(m));
  assert.ok(others.length > 0, r.missing.join(', '));
  assert.equal(await page.locator('#risk-fix-others').textContent(),
    `Stocks, ETFs and other assets (${others.join(', ')}): import a price CSV (date, close) for each on the Dashboard. Folio loads no daily history for them itself; a Twelve Data key (Settings) gives them live prices, not history.`);
  // The coverage card comes before the scores and the metrics.
  assert.ok(await page.evaluate(() => {
    const card = document.querySelector('#risk-coverage');
    return [...document.querySelectorAll('#risk-score, #risk-metrics')].every((e) => card.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  }));
  const setThreshold = async (percent) => {
    await editSettings();
    await page.fill('#risk-min-coverage', String(percent));
    await page.press('#risk-min-coverage', 'Tab');
  };
  // Asking for more than it covers: the report says it is partial, and so do the scores.
  await setThreshold(Math.min(100, Math.ceil(r.coverage * 100) + 1));
  await page.waitForSelector('#risk-partial');
  assert.match(await page.locator('#risk-partial').textContent(), /^Partial Below the \d+ % you asked for: every score and figure below describes only the covered part/);
  assert.match(await page.locator('#risk-score h2').textContent(), /— partial$/);
  assert.match(await page.locator('#structural-score h2').textContent(), /— partial$/);
  // Asking for less: whole, no "partial" anywhere.
  await setThreshold(Math.max(0, Math.floor(r.coverage * 100) - 1));
  await page.waitForFunction(() => !document.querySelector('#risk-partial') && document.querySelector('#risk-coverage'));
  assert.doesNotMatch(await page.locator('#risk-score h2').textContent(), /partial/);
  await setThreshold(80);
  await page.waitForSelector('#risk-coverage');
});

test('summary cards come first and carry the metrics table’s names, values and methods; the rest is in tabs', async () => {
  const doc = JSON.parse(await downloaded('#export-risk-json'));
  const r = doc.report;
  // The settings in one line of chips; their fields open under Edit.
  assert.match(await page.locator('#risk-settings > summary').textContent(), /365-day window.*95 % confidence.*benchmark BTC.*coverage ≥ 80 %.*10,000 paths.*Edit$/);
  // Cards: both scores, then the figures read first, each named, shown and explained as in the tables.
  const cards = await page.$$eval('#risk-kpis > .card', (cs) => cs.map((c) => [c.querySelector('.label').firstChild.textContent, c.querySelector('.value').textContent, c.querySelector('.sub').textContent]));
  const figure = (name) => { const m = r.metrics.find((x) => x.name === name); return [m.name, shown(m), m.method]; };
  const v = r.var.find((x) => x.model === 'historical' && x.horizon === 1 && x.confidence === 0.95);
  assert.deepEqual(cards, [
    ['Risk score (SmartFolio)', `${r.risk_score.value.toFixed(1)} / 100`, `risk ${r.risk_score.level.replace('_', ' ')} (higher is more robust)`],
    ['Structural score', `${r.structural.value.toFixed(1)} / 100`, r.structural.level.replace('_', ' ')],
    figure('Annual volatility'),
    figure('Max drawdown'),
    figure('Sharpe ratio'),
    ['Historical VaR 95 % (1 day)', pct(v.var), `CVaR (expected shortfall) ${pct(v.cvar)}; ${v.method}`],
    figure('Beta'),
  ]);
  // Below the coverage asked for, each figure card says on how much it rests.
  const partial = `partial: ${pct(r.coverage)} of the value`;
  assert.deepEqual(await page.locator('#risk-kpis .badge').allTextContents(), r.coverage < r.settings.min_coverage ? Array(5).fill(partial) : []);
  // Sections are tabs: one panel shown at a time; arrow keys, Home and End move along.
  const panels = () => page.$$eval('[role=tabpanel]', (ps) => ps.filter((p) => !p.hidden).map((p) => p.id));
  assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Over time', 'All metrics', 'Tail risk', 'Correlation', 'Contributions', 'Stress', 'Attribution']);
  await openTab('All metrics');
  assert.deepEqual(await panels(), ['risk-tab-metrics-panel']);
  assert.ok(await page.locator('#risk-metrics').isVisible());
  assert.ok(!(await page.locator('#chart-drawdown').isVisible()));
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await panels(), ['risk-tab-tail-panel']);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-selected')), 'true');
  await page.keyboard.press('End');
  assert.deepEqual(await panels(), ['risk-tab-attribution-panel']);
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await panels(), ['risk-tab-overview-panel']);
  // Money figures name their currency.
  await openTab('Stress');
  assert.match(await page.locator('#risk-stress thead').textContent(), new RegExp(`Change \\(${doc.base_currency}\\)`));
  assert.match(await page.locator('#custom-stress-total').textContent(), new RegExp(`^Total change [-\\d,.]+ ${doc.base_currency} `));
  await openTab('Over time');
});

test('settings recompute the report with progress, and too little history says so', async () => {
  await editSettings();
  await page.selectOption('#risk-paths', '100000');
  await page.waitForSelector('#risk-busy');
  await page.waitForSelector('#risk-busy', { state: 'detached', timeout: 60000 });
  assert.match(await page.locator('#risk-var').textContent(), /100000 paths/);
  await page.fill('#risk-window', '20');
  await page.press('#risk-window', 'Tab');
  await page.waitForSelector('#risk-error');
  assert.match(await page.locator('#risk-error').textContent(), /at least 30 are needed/);
  // A genuine failure stays a red alert, and the settings line says what was asked.
  assert.equal(await page.locator('#risk-error').getAttribute('role'), 'alert');
  assert.equal(await page.locator('#risk-coverage').count(), 0);
  assert.match(await page.locator('#risk-settings > summary').textContent(), /20-day window.*100,000 paths/);
});

test('log returns change the distribution figures, not the wealth path', async () => {
  await editSettings();
  await page.fill('#risk-window', '365');
  await page.press('#risk-window', 'Tab');
  await page.selectOption('#risk-paths', '10000');
  await page.waitForSelector('#risk-kpis');
  const simple = JSON.parse(await downloaded('#export-risk-json')).report;
  await page.selectOption('#risk-returns', 'log');
  await page.waitForFunction(() => /log returns/.test(document.querySelector('#risk-weighting-line')?.textContent ?? ''));
  const r = JSON.parse(await downloaded('#export-risk-json')).report;
  assert.equal(r.settings.returns, 'Log');
  const metric = (rep, name) => rep.metrics.find((m) => m.name === name).value;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const port = r.drawdown.map(([date]) => {
    const back = Math.round((today - Date.parse(date + 'T00:00:00Z')) / DAY);
    return r.weights.reduce((s, [sym, w]) => s + w * (historyFactor(sym, back) / historyFactor(sym, back + 1) - 1), 0);
  });
  const logs = port.map((x) => Math.log1p(x));
  near(metric(r, 'Annual volatility'), std(logs) * Math.sqrt(365), 'log volatility');
  near(metric(simple, 'Annual volatility'), std(port) * Math.sqrt(365), 'simple volatility');
  assert.equal(metric(r, 'Max drawdown'), metric(simple, 'Max drawdown'));
  const hist95 = r.var.find((v) => v.model === 'historical' && v.confidence === 0.95 && v.horizon === 1);
  near(hist95.var, percentile(logs, 0.05), 'historical VaR 95 of log returns');
  assert.match(hist95.method, /log returns$/);
  await page.selectOption('#risk-returns', 'simple');
});

test('historical weights follow the snapshots stored in IndexedDB', async () => {
  // Two snapshots as if taken 60 and 30 days ago: all BTC, then half BTC, half ETH.
  const today = Math.floor(Date.now() / DAY) * DAY;
  await page.evaluate(async ({ today, DAY }) => {
    const db = await new Promise((ok, ko) => { const q = indexedDB.open('folio'); q.onsuccess = () => ok(q.result); q.onerror = () => ko(q.error); });
    const profile = await new Promise((ok) => { const q = db.transaction('meta').objectStore('meta').get('current_profile'); q.onsuccess = () => ok(q.result); });
    const snap = (id, back, holdings) => ({
      id, profile_id: profile, at_ms: today - back * DAY + 12 * 3600000, reason: 'OnDemand', base: 'EUR', total: 1000,
      by_group: {}, by_class: {},
      holdings: holdings.map(([symbol, value]) => ({ symbol, location: 'Kraken', quantity: 1, value, price: null, origin: 'test' })),
    });
    const tx = db.transaction('snapshots', 'readwrite');
    tx.objectStore('snapshots').put(snap('e2e-60', 60, [['BTC', 1000]]));
    tx.objectStore('snapshots').put(snap('e2e-30', 30, [['BTC', 500], ['ETH', 500], ['EUR', 2000]]));
    await new Promise((ok) => { tx.oncomplete = ok; });
    db.close();
  }, { today, DAY });
  await page.reload();
  await page.getByRole('link', { name: 'Risk', exact: true }).click();
  await page.waitForSelector('#risk-kpis', { timeout: 60000 });
  await editSettings();
  assert.match(await page.locator('#risk-weighting option[value="historical"]').textContent(), /from \d+ snapshot\(s\)/);
  await page.selectOption('#risk-weighting', 'historical');
  await page.waitForFunction(() => /Weights held at the time/.test(document.querySelector('#risk-weighting-line')?.textContent ?? ''), null, { timeout: 60000 });
  const r = JSON.parse(await downloaded('#export-risk-json')).report;
  assert.equal(r.settings.weighting, 'Historical');
  // Each return from day `back + 1` to day `back` uses the snapshot held on its start.
  const ret = (sym, back) => historyFactor(sym, back) / historyFactor(sym, back + 1) - 1;
  const port = [];
  for (let back = 59; back >= 0; back--) {
    port.push(back + 1 > 30 ? ret('BTC', back) : 0.5 * ret('BTC', back) + 0.5 * ret('ETH', back));
  }
  const day = (back) => new Date(today - back * DAY).toISOString().slice(0, 10);
  assert.equal(r.points, 60);
  assert.equal(r.from, day(59));
  const metric = (name) => r.metrics.find((m) => m.name === name).value;
  near(metric('Annual volatility'), std(port) * Math.sqrt(365), 'volatility with historical weights');
  near(metric('Max drawdown'), maxDrawdown(port), 'max drawdown with historical weights');
  assert.match(r.weighting, new RegExp(`latest of \\d+ snapshot\\(s\\) \\(${day(60)} to `));
  assert.match(await page.locator('#risk-metrics caption').textContent(), /weights held at the time/);
  // Today's weights still drive the forward-looking figures (correlation over today's assets).
  assert.equal(r.correlation.length, r.weights.length);
});

test('any stored series with history can be the benchmark: a weekday index keeps the portfolio its days', async () => {
  // A listed index the demo does not hold, as if imported from a price CSV: weekdays only.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const day = (back) => new Date(today - back * DAY).toISOString().slice(0, 10);
  const weekday = (back) => ![0, 6].includes(new Date(today - back * DAY).getUTCDay());
  const close = (back) => 400 * historyFactor('SPY', back);
  const points = [];
  for (let back = 119; back >= 0; back--) if (weekday(back)) points.push([day(back), close(back)]);
  await page.evaluate(async (series) => {
    const db = await new Promise((ok, ko) => { const q = indexedDB.open('folio'); q.onsuccess = () => ok(q.result); q.onerror = () => ko(q.error); });
    const tx = db.transaction('history', 'readwrite');
    tx.objectStore('history').put(series);
    await new Promise((ok) => { tx.oncomplete = ok; });
    db.close();
  }, { key: 'listed:SPY@ARCX', currency: 'USD', points, source: 'price CSV' });
  await page.reload();
  await page.getByRole('link', { name: 'Risk', exact: true }).click();
  await page.waitForSelector('#risk-kpis', { timeout: 60000 });
  await editSettings();
  const options = await page.locator('#risk-benchmark option').allTextContents();
  assert.ok(options.includes('SPY — listed on ARCX, price CSV'), options.join(' | '));
  assert.ok(options.includes('BTC — crypto, CoinGecko'), options.join(' | '));
  await page.selectOption('#risk-benchmark', 'listed:SPY@ARCX');
  await page.waitForFunction(() => /SPY@ARCX, on the \d+ periods/.test(document.querySelector('#risk-metrics')?.textContent ?? ''), null, { timeout: 60000 });
  const r = JSON.parse(await downloaded('#export-risk-json')).report;
  assert.equal(r.settings.benchmark, 'listed:SPY@ARCX');
  // The portfolio keeps its 119 daily returns (weekends included) and its volatility.
  assert.equal(r.points, 119);
  assert.equal(r.annualisation, 365);
  const ret = (sym, back) => historyFactor(sym, back) / historyFactor(sym, back + 1) - 1;
  const port = [];
  for (let back = 118; back >= 0; back--) port.push(r.weights.reduce((s, [sym, w]) => s + w * ret(sym, back), 0));
  const metric = (name) => r.metrics.find((m) => m.name === name);
  near(metric('Annual volatility').value, std(port) * Math.sqrt(365), 'volatility with a weekday benchmark');
  // Beta on weekday-to-weekday returns: the portfolio's wealth between two weekdays.
  const wealth = [1];
  for (const x of port) wealth.push(wealth[wealth.length - 1] * (1 + x));
  const nodes = [];
  for (let back = 119; back >= 0; back--) if (weekday(back)) nodes.push([wealth[119 - back], close(back)]);
  const rp = nodes.slice(1).map(([w, _], i) => w / nodes[i][0] - 1);
  const rb = nodes.slice(1).map(([_, c], i) => c / nodes[i][1] - 1);
  const mb = mean(rb);
  const beta = rp.reduce((s, x, i) => s + (rb[i] - mb) * x, 0) / rb.reduce((s, b) => s + (b - mb) ** 2, 0);
  assert.ok(Math.abs(metric('Beta').value - beta) < 1e-9, `beta ${metric('Beta').value} vs ${beta}`);
  assert.match(metric('Beta').method, new RegExp(`on the ${rp.length} periods shared with it`));
  assert.deepEqual(r.notices, []);
  await assertPageShows(r);
});

test('a fresh profile says it has nothing to analyse; with imported positions and no history it sees its coverage, 0 %, and loads history right there: no red error', async () => {
  const context = await newContext(env, providerMocks({ historyDays: 120 }));
  const fresh = await openApp(context, env);
  const go = async (name) => {
    await fresh.getByRole('link', { name, exact: true }).click();
    await fresh.waitForSelector(`main h1:text-is("${name}")`);
  };
  await go('Settings');
  await fresh.fill('#new-profile-name', 'Fresh');
  await fresh.click('#create-profile');
  await fresh.waitForFunction(() => {
    const s = document.querySelector('#profile-select');
    return s?.options[s.selectedIndex]?.textContent === 'Fresh';
  });
  // Empty, it has nothing to analyse: said, with where to start, and not as an error.
  await go('Risk');
  await fresh.waitForSelector('#risk-empty', { timeout: 60000 });
  assert.equal(await fresh.locator('#risk-empty').textContent(), 'There is nothing to analyse yet: no holding other than cash has a value. Import a file or add holdings by hand, and the report appears here.');
  assert.equal(await fresh.locator('#risk-error, [role=alert], #risk-coverage').count(), 0);
  await go('Import');
  const files = ['ct_balance_by_exchange.csv', 'saxo_positions_fr.csv'];
  await fresh.setInputFiles('#file-input', files.map((f) => join(FIXTURES, f)));
  for (const f of files) await fresh.locator(`article[data-file="${f}"] .counts`).waitFor();
  await fresh.click('#commit-import');
  await fresh.waitForSelector('#import-done');
  await fresh.waitForFunction(() => !document.querySelector('#price-status, #sidebar-status')?.textContent.includes('updating'), null, { timeout: 30000 });
  await go('Risk');
  await fresh.waitForSelector('#risk-coverage', { timeout: 60000 });
  // Not an error: the coverage card, 0 %, what has no history (in price-key order: coins, then
  // listed securities) and how to bring each kind in.
  assert.equal(await fresh.locator('#risk-error, [role=alert]').count(), 0);
  assert.equal(await fresh.locator('#risk-coverage-value').textContent(), '0.00 %');
  assert.match(await fresh.locator('#risk-no-history').textContent(), /^No history yet The report needs daily closes for at least one holding\. Bring them in below and it appears here\.$/);
  assert.equal(await fresh.locator('#risk-missing').textContent(), 'Left out, without daily history: BTC, ETH, SOL, USDT, AAPL, BRK.B, IWDA.');
  assert.match(await fresh.locator('#risk-fix-coins').textContent(), /^Coins \(BTC, ETH, SOL, USDT\): load a year of daily prices from CoinGecko or Binance, here\./);
  assert.match(await fresh.locator('#risk-fix-others').textContent(), /^Stocks, ETFs and other assets \(AAPL, BRK\.B, IWDA\): import a price CSV \(date, close\) for each on the Dashboard\./);
  assert.equal(await fresh.locator('#risk-kpis').count(), 0);
  // The same button and progress as the Dashboard's, right there.
  await fresh.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const t = document.querySelector('#risk-history-progress')?.textContent;
      if (t && window.__progress.at(-1) !== t) window.__progress.push(t);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await fresh.click('#risk-load-history');
  await fresh.waitForSelector('#risk-history-status', { timeout: 60000 });
  const progress = await fresh.evaluate(() => window.__progress);
  assert.ok(progress.length >= 1, progress.join(' | '));
  for (const p of progress) assert.match(p, /^Loading daily prices: \d of 4 coins…$/);
  assert.equal(await fresh.locator('#risk-history-status').textContent(), 'Daily history for 4 of 4 coins.');
  // The report follows, on the coins: stocks and ETFs are still left out, and said so.
  await fresh.waitForSelector('#risk-kpis', { timeout: 60000 });
  assert.equal(await fresh.locator('#risk-error, [role=alert]').count(), 0);
  const coverage = await fresh.locator('#risk-coverage-value').textContent();
  const share = Number(coverage.replace(' %', ''));
  assert.ok(share > 0 && share < 100, coverage);
  assert.equal(await fresh.locator('#risk-missing').textContent(), 'Left out, without daily history: AAPL, BRK.B, IWDA.');
  assert.equal(await fresh.locator('#risk-load-history').count(), 0, 'no coin left to load');
  assert.match(await fresh.locator('#risk-window-line').textContent(), /^119 daily returns from /);
  assert.deepEqual(fresh.errors, [], 'no uncaught errors (panics) in the page');
  await context.close();
});
