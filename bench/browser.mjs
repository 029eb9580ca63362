// Drives the browser side of `make bench` in headless Chromium, on the release build with the
// bench page (FOLIO_DIST=dist-bench; the first visit and the next page on dist/, the build
// users get, which has no bench page):
// - the app's bench page (/bench, not linked): Folio's importer (in its Web Worker) on the
//   synthetic files, the rebalancing plan, the risk report in its Web Worker, each in rounds
//   that alternate with criterion's native runs (and numpy's, for the risk report) of the same
//   work; IndexedDB writes and reads; backup and restore of a profile of 100,000 transactions;
// - PapaParse (npm, dynamicTyping) plus the same aggregation in JavaScript, in the same page
//   on the same bytes;
// - the longest main-thread task (PerformanceObserver "longtask") during the importer's
//   real path on the Import page with the 1,000,000-row file, and during the risk run;
// - the bytes the first page loads (raw and gzip) and the time to the first holdings table;
//   then the next page (Dashboard), which loads the whole app's module.
// Usage: node bench/browser.mjs <synthetic files dir> <out.json>
// Environment: CARGO_TARGET_DIR (criterion's results), BENCH_PYTHON (a Python with numpy,
// scipy, pandas and empyrical), BENCH_ROUNDS (5).
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { start, newContext, launchBrowser, ROOT } from '../tests/e2e/harness.mjs';
import { serve } from '../scripts/serve.mjs';

const dir = process.argv[2] ?? join(ROOT, 'bench', 'out', 'files');
const outPath = process.argv[3];
const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => join(dir, f));
const PAPA = join(ROOT, 'node_modules', 'papaparse', 'papaparse.min.js');

// Records every long task (and first paint of the holdings table) from the first script on.
const OBSERVERS = () => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const seen = () => {
    if (window.__firstTable === undefined && document.querySelector('#holdings-table tbody tr')) {
      window.__firstTable = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
};
/** The long tasks that overlap the span [from, to], and the longest of them (0 for none). */
const during = (tasks, [from, to]) => tasks.filter(([s, d]) => s + d >= from && s <= to);
const longest = (tasks, span) => during(tasks, span).reduce((m, [, d]) => Math.max(m, d), 0);

// Figures compared with another program (the importer, the plan and the risk report against
// criterion's native build, the risk report against numpy + empyrical) are measured in
// rounds: each round runs every side once, the order reversed every other round, so that
// both sides share this machine's drifts in speed (up to 2x between minutes on a shared VM).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const PYTHON = process.env.BENCH_PYTHON ?? 'python3';

/** The benchmark executables (`cargo bench --no-run`, built before by `make bench`), by name.
 * Criterion's runs call them directly: through cargo, each run would first wait for the lock
 * on the target directory while another checkout builds there, minutes between a round's sides. */
function benchExecutables() {
  const r = spawnSync('cargo', ['bench', '--features', 'bench', '--bench', 'import', '--bench', 'rebalance', '--bench', 'risk',
    '--no-run', '--message-format=json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 2], encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`cargo bench --no-run failed (exit ${r.status})`);
  const exes = {};
  for (const line of r.stdout.split('\n')) {
    const m = line.startsWith('{') ? JSON.parse(line) : null;
    if (m?.reason === 'compiler-artifact' && m.executable && m.target.kind.includes('bench')) exes[m.target.name] = m.executable;
  }
  return exes;
}
const BENCHES = benchExecutables();

/** One criterion run (3 s after 1 s of warm-up) of the benchmark `id` of `benches/<bench>.rs`:
 * criterion's median and the per-iteration time of each sample (ms). */
function criterion(bench, id) {
  const r = spawnSync(BENCHES[bench], ['--bench', '--exact', id, '--warm-up-time', '1', '--measurement-time', '3', '--noplot'],
    { cwd: ROOT, stdio: ['ignore', 2, 2], env: { ...process.env, CARGO_TARGET_DIR: TARGET } });
  if (r.status !== 0) throw new Error(`criterion failed on ${id} (exit ${r.status})`);
  const base = join(TARGET, 'criterion', ...id.split('/'), 'new');
  const est = JSON.parse(readFileSync(join(base, 'estimates.json'), 'utf8'));
  const sample = JSON.parse(readFileSync(join(base, 'sample.json'), 'utf8'));
  return {
    median_ms: est.median.point_estimate / 1e6,
    times_ms: sample.times.map((t, i) => t / sample.iters[i] / 1e6),
  };
}

/** One run of bench/risk_numpy.py on the risk benchmark's data (written by benches/risk.rs). */
function numpy() {
  const r = spawnSync(PYTHON, [join(ROOT, 'bench', 'risk_numpy.py'), join(ROOT, 'bench', 'out', 'risk_input.json')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 2], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/risk_numpy.py failed (exit ${r.status})`);
  return JSON.parse(r.stdout).numpy_empyrical_risk_report;
}

/** Runs a part of the bench page by its button; its results (JSON). */
let pageRuns = 0;
async function benchPage(page, button) {
  const run = ++pageRuns;
  await page.click(button);
  const results = page.locator(`#bench-results[data-run="${run}"]`);
  await results.waitFor({ timeout: 1800000 });
  const doc = JSON.parse(await results.textContent());
  const error = Object.values(doc).find((v) => v?.error)?.error
    ?? Object.values(doc.import ?? {}).find((v) => v?.error)?.error;
  if (error) throw new Error(`bench page (${button}): ${error}`);
  return doc;
}

/** `ROUNDS` rounds of the named sides (async functions returning `{ median_ms, times_ms }`
 * or more), every side once per round, in reversed order every other round. */
async function rounds(label, sides) {
  const names = Object.keys(sides);
  const out = [];
  for (let round = 0; round < ROUNDS; round++) {
    const result = {};
    for (const name of round % 2 === 0 ? names : [...names].reverse()) result[name] = await sides[name]();
    out.push(result);
    console.error(`${label}, round ${round + 1}: ${names.map((n) => `${n} ${result[n].median_ms.toFixed(1)} ms`).join(', ')}`);
  }
  return out;
}

/** Every round's runs of one side pooled (median, min, max). */
const pooled = (all, side) => stats(all.flatMap((r) => side(r).times_ms));

/** Each round's ratio of two sides' medians. */
const ratios = (all, a, b) => all.map((r) => a(r).median_ms / b(r).median_ms);

function stats(ms) {
  const v = [...ms].sort((a, b) => a - b);
  return { runs: v.length, median_ms: v[Math.floor(v.length / 2)], min_ms: v[0], max_ms: v[v.length - 1] };
}

const env = await start();
const results = { browser: await env.browser.version() };
try {
  // 1. The bench page, then PapaParse in the same page on the same files.
  {
    const context = await env.browser.newContext({ bypassCSP: true });
    await context.route('**/*', (route) =>
      route.request().url().startsWith(env.base) ? route.continue() : route.abort('blockedbyclient'));
    await context.addInitScript(OBSERVERS);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', String(e)));
    await page.goto(`${env.base}/bench`);
    results.import = {};
    for (const file of files) {
      const name = basename(file);
      await page.setInputFiles('#bench-files', file);
      const all = await rounds(name, {
        wasm: async () => {
          const f = (await benchPage(page, '#bench-import')).import[name];
          return { ...f.worker, file: f };
        },
        native: async () => criterion('import', `import/${basename(file, '.csv')}`),
      });
      // The round trips (page to worker and back) of the same runs, for PapaParse's figure.
      const roundTrip = pooled(all, (r) => r.wasm.file);
      const { bytes, rows, holdings } = all[0].wasm.file;
      results.import[name] = {
        ...roundTrip,
        bytes,
        rows,
        holdings,
        mb_per_s: bytes / 1e6 / (roundTrip.median_ms / 1e3),
        worker: pooled(all, (r) => r.wasm),
        native: pooled(all, (r) => r.native),
        wasm_vs_native: ratios(all, (r) => r.wasm, (r) => r.native),
      };
    }

    // The risk report: the bench page's runs in the worker, criterion's, numpy's. The risk
    // benchmark writes the data numpy reads (before numpy's first run: native goes first).
    const phases = [];
    const all = await rounds('risk report', {
      native: async () => criterion('risk', 'risk/report_100_assets_1826_days_100k_paths'),
      wasm: async () => {
        const doc = await benchPage(page, '#bench-risk');
        phases.push(doc.phases.risk_report_worker);
        return doc.risk_report_worker;
      },
      numpy: async () => numpy(),
    });
    const tasks = await page.evaluate(() => window.__longtasks);
    results.risk_report = {
      ...pooled(all, (r) => r.wasm),
      native: pooled(all, (r) => r.native),
      numpy: { ...pooled(all, (r) => r.numpy), numpy: all[0].numpy.numpy, empyrical: all[0].numpy.empyrical },
      rounds: all.length,
      wasm_vs_native: ratios(all, (r) => r.wasm, (r) => r.native),
      wasm_vs_numpy: ratios(all, (r) => r.wasm, (r) => r.numpy),
      longest_task_ms: Math.max(...phases.map((p) => longest(tasks, p))),
      long_tasks: phases.reduce((n, span) => n + during(tasks, span).length, 0),
    };
    const plans = await rounds('rebalance plan', {
      wasm: async () => (await benchPage(page, '#bench-rebalance')).rebalance_plan,
      native: async () => criterion('rebalance', 'plan_2000_holdings_30_locations'),
    });
    results.rebalance_plan = {
      ...pooled(plans, (r) => r.wasm),
      actions: plans[0].wasm.actions,
      native: pooled(plans, (r) => r.native),
      wasm_vs_native: ratios(plans, (r) => r.wasm, (r) => r.native),
    };
    results.storage = (await benchPage(page, '#bench-storage')).storage;
    {
      const doc = await benchPage(page, '#bench-backup');
      const tasks = await page.evaluate(() => window.__longtasks);
      results.backup = { ...doc.backup, longest_task_ms: longest(tasks, doc.phases.backup), long_tasks: during(tasks, doc.phases.backup).length };
    }

    // PapaParse is injected for the benchmark only: the app ships no third-party script.
    await page.setInputFiles('#bench-files', files);
    await page.addScriptTag({ content: readFileSync(PAPA, 'utf8') });
    results.papaparse = await page.evaluate(async () => {
      const out = {};
      for (const file of document.querySelector('#bench-files').files) {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const runs = bytes.length > 20e6 ? 3 : 15;
        const times = [];
        let rows = 0;
        let holdings = 0;
        for (let run = 0; run <= runs; run++) {
          const t0 = performance.now();
          const text = new TextDecoder().decode(bytes);
          const parsed = Papa.parse(text, { dynamicTyping: true, skipEmptyLines: true });
          // The same aggregation as Folio's importer: per (currency, exchange).
          const header = parsed.data[0];
          const balances = new Map();
          const add = (cur, ex, x) => {
            const k = cur + '\u0000' + ex;
            balances.set(k, (balances.get(k) ?? 0) + x);
          };
          const amount = (v) => (typeof v === 'number' ? v : null);
          if (header[0] === 'Type') {
            // Trade List: Buy − Sell − Fee per currency and exchange; types counted.
            const types = new Map();
            for (let i = 1; i < parsed.data.length; i++) {
              const r = parsed.data[i];
              const ex = r[7] || 'Unknown';
              const legs = [[r[1], r[2], 1], [r[3], r[4], -1], [r[5], r[6], -1]];
              let moved = false;
              for (const [a, c, sign] of legs) {
                const x = amount(a);
                if (x === null || c === '' || c === null) continue;
                add(String(c), ex, sign * x);
                moved = true;
              }
              if (moved) types.set(r[0], (types.get(r[0]) ?? 0) + 1);
            }
          } else {
            // Balance by Exchange: amount per currency and exchange.
            for (let i = 1; i < parsed.data.length; i++) {
              const r = parsed.data[i];
              const x = amount(r[0]);
              if (x !== null) add(String(r[1]), r[4] || 'Unknown', x);
            }
          }
          const dt = performance.now() - t0;
          rows = parsed.data.length - 1;
          holdings = [...balances.values()].filter((x) => Math.abs(x) >= 1e-10).length;
          if (run > 0) times.push(dt);
          await new Promise((ok) => setTimeout(ok, 0));
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)];
        out[file.name] = {
          runs: times.length, median_ms: median, min_ms: times[0], max_ms: times[times.length - 1],
          bytes: bytes.length, rows, holdings, mb_per_s: bytes.length / 1e6 / (median / 1e3),
        };
      }
      return out;
    });
    await context.close();
  }

  // 2. The app's real import path (Import page, chunked parsing, commit) with the largest
  //    file: total time and the longest main-thread task.
  {
    const big = files.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
    const context = await newContext(env);
    await context.addInitScript(OBSERVERS);
    const page = await context.newPage();
    await page.goto(`${env.base}/import`);
    // A first visit is on the demo profile, whose Import page asks first: into the demo, as
    // the figures before that question measured.
    await page.click('#import-into-demo');
    await page.waitForSelector('#file-input', { state: 'attached' });
    await page.waitForLoadState('networkidle');
    const t0 = await page.evaluate(() => performance.now());
    await page.setInputFiles('#file-input', big);
    await page.waitForSelector('#commit-import:not([disabled])', { timeout: 600000 });
    const parsed = await page.evaluate(() => performance.now());
    await page.click('#commit-import');
    await page.waitForSelector('#import-done', { timeout: 600000 });
    const t1 = await page.evaluate(() => performance.now());
    const tasks = await page.evaluate(() => window.__longtasks);
    results.import_page = {
      file: big.split('/').pop(),
      parse_ms: parsed - t0,
      parse_and_commit_ms: t1 - t0,
      longest_task_ms: longest(tasks, [t0, t1]),
      long_tasks: during(tasks, [t0, t1]).length,
    };
    await context.close();
  }

  // 3. First visits (each in a fresh context: empty cache, empty IndexedDB, so the demo profile
  //    is created) and return visits (reloads): bytes loaded before the first holdings table,
  //    and the time from navigation to it (performance.now() counts from navigation start).
  //    Playwright's request routing turns the HTTP cache off, so this browser routes nothing
  //    and refuses other hosts by name resolution instead (prices fail; the table needs none).
  const cachingBrowser = await launchBrowser(['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']);
  const usersBuild = await serve(join(ROOT, 'dist'), 0);
  const base = `http://127.0.0.1:${usersBuild.address().port}`;
  try {
    const firstVisits = [];
    let context;
    let page;
    let loaded;
    for (let visit = 0; visit < 5; visit++) {
      if (context) await context.close();
      context = await cachingBrowser.newContext();
      await context.addInitScript(OBSERVERS);
      loaded = [];
      page = await context.newPage();
      const thisPage = loaded; // late answers stay with their own page
      page.on('response', async (r) => {
        if (!r.url().startsWith(base)) return;
        try {
          const body = await r.body();
          thisPage.push({ path: new URL(r.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
        } catch { /* redirects have no body */ }
      });
      await page.goto(`${base}/`);
      await page.waitForFunction(() => window.__firstTable !== undefined, null, { timeout: 60000 });
      firstVisits.push(await page.evaluate(() => window.__firstTable));
      if (visit === 0) {
        // What the first page needs: the document and what was requested before the table
        // showed (the whole app's module is prefetched after it, for the next page).
        const before = await page.evaluate(() => performance.getEntriesByType('resource')
          .filter((e) => e.startTime < window.__firstTable).map((e) => new URL(e.name).pathname));
        const needed = new Set(['/', ...before]);
        const first = [...new Map(loaded.filter((f) => needed.has(f.path)).map((f) => [f.path, f])).values()];
        const sum = (k, f = () => true) => first.filter(f).reduce((s, x) => s + x[k], 0);
        const code = (x) => /\.(wasm|js)$/.test(x.path);
        results.bundle = {
          files: first,
          wasm_js_raw: sum('raw', code),
          wasm_js_gzip: sum('gzip', code),
          all_raw: sum('raw'),
          all_gzip: sum('gzip'),
        };
      }
    }
    const returnVisits = [];
    for (let visit = 0; visit < 5; visit++) {
      await page.reload();
      await page.waitForFunction(() => window.__firstTable !== undefined, null, { timeout: 60000 });
      returnVisits.push(await page.evaluate(() => window.__firstTable));
    }
    results.first_table = { first_visit: stats(firstVisits), return_visit: stats(returnVisits) };

    // The next page: the first page's module holds the holdings table only, so going to the
    // Dashboard starts the whole app's module (a new document at the new address), from the
    // cache once the first page has prefetched it.
    loaded.length = 0;
    const t0 = await page.evaluate(() => performance.timeOrigin + performance.now());
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForSelector('#dashboard-total', { timeout: 60000 });
    const t1 = await page.evaluate(() => performance.timeOrigin + performance.now());
    const app = [...new Map(loaded.map((f) => [f.path, f])).values()].filter((x) => /^\/folio-.*\.(wasm|js)$/.test(x.path));
    results.next_page = {
      ms: t1 - t0,
      app_files: app,
      app_gzip: app.reduce((s, x) => s + x.gzip, 0),
      app_raw: app.reduce((s, x) => s + x.raw, 0),
    };
  } finally {
    await cachingBrowser.close();
    await new Promise((ok) => usersBuild.close(ok));
  }
} finally {
  await env.close();
}
const text = JSON.stringify(results, null, 2);
if (outPath) writeFileSync(outPath, text + '\n');
console.log(text);
