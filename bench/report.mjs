// Gathers one run of `make bench` into one JSON file and a readable table: bench/browser.mjs's
// results (the browser's figures, and criterion's and numpy + empyrical's, which it runs in
// rounds alternating with the browser's), each figure as a ratio measured side by side in the
// same run, with the raw times (median of repeated runs, min and max).
// Usage: node bench/report.mjs <bench/out> <results.json> <results.md>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const [outDir, jsonPath, mdPath] = process.argv.slice(2);
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));

const browser = read(join(outDir, 'browser.json'));

const figures = [];
const add = (name, folio, other, ratio, targetText, met) => figures.push({ name, folio, other, ratio, target: targetText, met });
const ms = (x) => (x ? `${x.median_ms.toFixed(x.median_ms < 10 ? 2 : 0)} ms (${x.min_ms.toFixed(x.min_ms < 10 ? 2 : 0)}–${x.max_ms.toFixed(x.max_ms < 10 ? 2 : 0)})` : 'n/a');
const mb = (x) => `${(x.bytes / 1e6).toFixed(1)} MB`;
/** The longest task seen (the browser reports tasks over 50 ms only). */
const longTasks = (x) => (x.long_tasks === 0 ? 'none over 50 ms' : `${x.longest_task_ms.toFixed(0)} ms (${x.long_tasks} task(s) over 50 ms)`);
/** The median of the rounds' ratios (bench/browser.mjs alternates the two sides in rounds) and
 * a note of their count and range. */
function roundsRatio(ratios) {
  const v = [...ratios].sort((a, b) => a - b);
  return {
    median: v[Math.floor(v.length / 2)],
    text: `; median of ${v.length} alternating rounds' ratios (rounds ${v[0].toFixed(2)}–${v.at(-1).toFixed(2)}×)`,
  };
}

for (const file of ['trade_list_1m.csv', 'balance_by_exchange_100k.csv']) {
  const f = browser.import?.[file];
  const p = browser.papaparse?.[file];
  if (!f || !p) continue;
  const ratio = f.mb_per_s / p.mb_per_s;
  add(`Import ${file} (${f.rows.toLocaleString('en')} rows, ${mb(f)}) in Chromium, bytes in memory to holdings in the page: Folio (import worker, round trip) vs PapaParse + same aggregation`,
    `${f.mb_per_s.toFixed(1)} MB/s, ${ms(f)}`, `${p.mb_per_s.toFixed(1)} MB/s, ${ms(p)}`, ratio, '≥ 3× PapaParse', ratio >= 3);
  if (f.worker && f.native) {
    // The same work on both sides: a copy of the bytes, then import_bytes.
    const r = roundsRatio(f.wasm_vs_native);
    add(`Importer ${file}: wasm in the import worker vs native (criterion), copy of the bytes + parse + merge${r.text}`,
      ms(f.worker), ms(f.native), r.median, 'wasm ≤ 1.5× native', r.median <= 1.5);
  }
}
const risk = browser.risk_report;
if (risk) {
  const n = roundsRatio(risk.wasm_vs_native);
  add(`Risk report 100 assets × 1,826 days, 100k MC paths: Chromium worker vs native (criterion)${n.text}`, ms(risk), ms(risk.native), n.median, 'reported', null);
  const p = roundsRatio(risk.wasm_vs_numpy);
  add(`Risk report: Folio in Chromium vs numpy ${risk.numpy.numpy} + empyrical ${risk.numpy.empyrical}${p.text}`, ms(risk), ms(risk.numpy), p.median, 'no slower (≤ 1×)', p.median <= 1);
}
const plan = browser.rebalance_plan;
if (plan) {
  const r = roundsRatio(plan.wasm_vs_native);
  add(`Rebalance plan 2,000 holdings × 30 locations: Chromium vs native (criterion)${r.text}`, ms(plan), ms(plan.native), r.median, 'reported', null);
}
if (browser.storage && !browser.storage.error) {
  const s = browser.storage;
  add(`IndexedDB write: ${s.positions.toLocaleString('en')} positions + ${s.series} series × 1,826 days`, ms(s.write), '', null, 'reported', null);
  add('IndexedDB read back as the app opens (profiles, settings, versions, snapshots, history)', ms(s.read), '', null, 'reported', null);
}
if (browser.backup && !browser.backup.error) {
  const b = browser.backup;
  const kb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const what = `${b.transactions.toLocaleString('en')} transactions (synthetic records in a bench-only store until the ledger's lands)`;
  add(`Backup of one profile: ${what}; read, summarise, deflate (sealed: + PBKDF2 600,000 rounds and AES-GCM)`,
    `${ms(b.profile.backup)}, ${kb(b.profile.bytes)}; sealed ${ms(b.profile.backup_sealed)}, ${kb(b.profile.sealed_bytes)}`, '', null, 'reported', null);
  add('Restore of that profile: decode, check, replace its records in one transaction', ms(b.profile.restore), '', null, 'reported', null);
  add(`Backup of the whole database: that profile + ${b.series} series × ${b.days.toLocaleString('en')} days`,
    `${ms(b.database.backup)}, ${kb(b.database.bytes)}; sealed ${ms(b.database.backup_sealed)}`, '', null, 'reported', null);
  add('Restore of the whole database: decode, check, clear and write every store in one transaction', ms(b.database.restore), '', null, 'reported', null);
  add('Longest main-thread task during the backups and restores', longTasks(b), '', null, 'reported', null);
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
    longTasks(i), '', null, '< 100 ms', i.longest_task_ms < 100);
}
if (risk) {
  add(`Longest main-thread task during the ${risk.rounds} rounds of risk runs (100k Monte Carlo paths in the worker; the job packed and sent, the report decoded in the page)`,
    longTasks(risk), '', null, '< 100 ms', risk.longest_task_ms < 100);
}

const doc = {
  generated: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, browser: browser.browser },
  figures,
  raw: browser,
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
