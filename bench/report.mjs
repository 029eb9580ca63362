// Gathers one run of `make bench` into one JSON file and a readable table: criterion's native
// figures, the browser's (bench/browser.mjs) and numpy + empyrical's (bench/risk_numpy.py),
// each figure as a ratio measured side by side in the same run, with the raw times
// (median of repeated runs, min and max).
// Usage: node bench/report.mjs <bench/out> <results.json> <results.md>
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const [outDir, jsonPath, mdPath] = process.argv.slice(2);
const target = process.env.CARGO_TARGET_DIR ?? 'target';
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));

/** Criterion's figure for one benchmark: median per iteration, and min and max of the samples. */
function criterion(id) {
  const base = join(target, 'criterion', id, 'new');
  if (!existsSync(base)) return null;
  const est = read(join(base, 'estimates.json'));
  const sample = read(join(base, 'sample.json'));
  const per = sample.times.map((t, i) => t / sample.iters[i] / 1e6);
  return { runs: per.length, median_ms: est.median.point_estimate / 1e6, min_ms: Math.min(...per), max_ms: Math.max(...per) };
}

const browser = read(join(outDir, 'browser.json'));
const numpy = read(join(outDir, 'numpy.json')).numpy_empyrical_risk_report;
const native = {
  trade_list_1m: criterion('import/trade_list_1m'),
  balance_by_exchange_100k: criterion('import/balance_by_exchange_100k'),
  rebalance_plan: criterion('plan_2000_holdings_30_locations'),
  risk_report: criterion('risk/report_100_assets_1826_days_100k_paths'),
};

const figures = [];
const add = (name, folio, other, ratio, targetText, met) => figures.push({ name, folio, other, ratio, target: targetText, met });
const ms = (x) => (x ? `${x.median_ms.toFixed(x.median_ms < 10 ? 2 : 0)} ms (${x.min_ms.toFixed(x.min_ms < 10 ? 2 : 0)}–${x.max_ms.toFixed(x.max_ms < 10 ? 2 : 0)})` : 'n/a');
const mb = (x) => `${(x.bytes / 1e6).toFixed(1)} MB`;

for (const [file, key] of [['trade_list_1m.csv', 'trade_list_1m'], ['balance_by_exchange_100k.csv', 'balance_by_exchange_100k']]) {
  const f = browser.import?.[file];
  const p = browser.papaparse?.[file];
  if (!f || !p) continue;
  const ratio = f.mb_per_s / p.mb_per_s;
  add(`Import ${file} (${f.rows.toLocaleString('en')} rows, ${mb(f)}) in Chromium, bytes in memory to holdings in the page: Folio (import worker, round trip) vs PapaParse + same aggregation`,
    `${f.mb_per_s.toFixed(1)} MB/s, ${ms(f)}`, `${p.mb_per_s.toFixed(1)} MB/s, ${ms(p)}`, ratio, '≥ 3× PapaParse', ratio >= 3);
  const n = native[key];
  if (n && f.worker) {
    // The same work on both sides: a copy of the bytes, then import_bytes.
    const r = f.worker.median_ms / n.median_ms;
    add(`Importer ${file}: wasm in the import worker vs native (copy of the bytes + parse + merge)`, ms(f.worker), ms(n), r, 'wasm ≤ 1.5× native', r <= 1.5);
  }
}
const risk = browser.risk_report_worker;
if (risk && native.risk_report) {
  const r = risk.median_ms / native.risk_report.median_ms;
  add('Risk report 100 assets × 1,826 days, 100k MC paths: Chromium worker vs native', ms(risk), ms(native.risk_report), r, 'reported', null);
}
if (risk && numpy) {
  const r = risk.median_ms / numpy.median_ms;
  add('Risk report: Folio in Chromium vs numpy + empyrical', ms(risk), ms(numpy), r, 'no slower (≤ 1×)', r <= 1);
}
if (browser.rebalance_plan) {
  const r = native.rebalance_plan ? browser.rebalance_plan.median_ms / native.rebalance_plan.median_ms : null;
  add('Rebalance plan 2,000 holdings × 30 locations: Chromium vs native', ms(browser.rebalance_plan), ms(native.rebalance_plan), r, 'reported', null);
}
if (browser.storage && !browser.storage.error) {
  const s = browser.storage;
  add(`IndexedDB write: ${s.positions.toLocaleString('en')} positions + ${s.series} series × 1,826 days`, ms(s.write), '', null, 'reported', null);
  add('IndexedDB read back as the app opens (profiles, settings, versions, snapshots, history)', ms(s.read), '', null, 'reported', null);
}
if (browser.bundle) {
  const b = browser.bundle;
  add('First page: wasm + JS (gzip)', `${(b.wasm_js_gzip / 1024).toFixed(0)} KB gzip, ${(b.wasm_js_raw / 1024).toFixed(0)} KB raw`,
    `all files ${(b.all_gzip / 1024).toFixed(0)} KB gzip`, null, '≤ 400 KB gzip', b.wasm_js_gzip <= 400 * 1024);
}
if (browser.next_page) {
  const n = browser.next_page;
  add('Next page from the first (Dashboard): the whole app\'s module, prefetched once the first table shows', `${(n.app_gzip / 1024).toFixed(0)} KB gzip, ${(n.app_raw / 1024).toFixed(0)} KB raw; click to dashboard ${n.ms.toFixed(0)} ms`,
    '', null, 'reported', null);
}
if (browser.first_table) {
  const f = browser.first_table;
  add('Navigation to the first holdings table (localhost)', `first visits ${ms(f.first_visit)}; return visits ${ms(f.return_visit)}`, '', null, '≤ 1 s',
    Math.max(f.first_visit.median_ms, f.return_visit.median_ms) <= 1000);
}
if (browser.import_page) {
  const i = browser.import_page;
  add(`Longest main-thread task during the Import page's ${i.file} import (parse ${i.parse_ms.toFixed(0)} ms, with commit ${i.parse_and_commit_ms.toFixed(0)} ms)`,
    `${i.longest_task_ms.toFixed(0)} ms (${i.long_tasks} task(s) over 50 ms)`, '', null, '< 100 ms', i.longest_task_ms < 100);
}
if (risk) {
  add('Longest main-thread task during the risk run (100k Monte Carlo paths in the worker)', `${risk.longest_task_ms.toFixed(0)} ms`, '', null, '< 100 ms', risk.longest_task_ms < 100);
}

const doc = {
  generated: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, browser: browser.browser },
  figures,
  raw: { native, browser, numpy },
};
writeFileSync(jsonPath, JSON.stringify(doc, null, 2) + '\n');
const cell = (x) => String(x ?? '').replace(/\|/g, '\\|');
const lines = [
  `Benchmarks, ${doc.generated.slice(0, 10)}, ${doc.machine.cpus} CPU(s) ${doc.machine.cpu ?? ''}, ${doc.machine.browser}. Times: median (min–max).`,
  '',
  '| Figure | Folio | Point of comparison | Ratio | Target | Met |',
  '|---|---|---|---|---|---|',
  ...figures.map((f) => `| ${cell(f.name)} | ${cell(f.folio)} | ${cell(f.other)} | ${f.ratio == null ? '' : f.ratio.toFixed(2) + '×'} | ${cell(f.target)} | ${f.met == null ? '' : f.met ? 'yes' : '**no**'} |`),
];
writeFileSync(mdPath, lines.join('\n') + '\n');
console.log(lines.join('\n'));
