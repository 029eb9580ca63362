// Shared set-up for the end-to-end tests: the release build in dist/ (or the folder named by
// FOLIO_DIST: `make bench` tests dist-bench/, its build with the bench page) served on loopback,
// Debian's Chromium driven by playwright-core, and every request that is not to our own
// server refused (tests never touch the internet).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with the flags every run uses, and `extra` ones. */
export function launchBrowser(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, ...extra],
  });
}

/** The built app's folder: FOLIO_DIST, or dist/. */
export const DIST = join(ROOT, process.env.FOLIO_DIST ?? 'dist');

/** Starts the server (of the build in `dist`) and the browser. Returns { base, browser, close, external }. */
export async function start(dist = DIST) {
  const server = await serve(dist, 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser();
  const external = [];
  const close = async () => {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  };
  return { base, browser, close, external };
}

const PRICES = JSON.parse(readFileSync(join(FIXTURES, 'prices', 'usd_prices.json'), 'utf8'));
const FX = readFileSync(join(FIXTURES, 'prices', 'frankfurter_latest.json'), 'utf8');
const CORS = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };

/**
 * Fixture answers for every price provider, so no test touches the internet. Each
 * provider's behaviour is switchable: 'ok', '429', '500', 'hang' (never answers),
 * 'malformed' (200 with HTML), 'opaque' (a throttled answer without CORS headers: the
 * browser hides it and fetch rejects with a TypeError; Playwright would add CORS headers to
 * a fulfilled response, so the request is failed the way the browser reports it),
 * 'offline'. `calls` counts requests per provider.
 */
export function providerMocks({ historyDays = 0 } = {}) {
  const mode = { coingecko: 'ok', binance: 'ok', coinbase: 'ok', frankfurter: 'ok', twelvedata: 'ok' };
  const calls = { coingecko: 0, binance: 0, coinbase: 0, frankfurter: 0, twelvedata: 0 };
  const urls = [];
  const hosts = {
    coingecko: 'https://api.coingecko.com/',
    binance: 'https://data-api.binance.vision/',
    coinbase: 'https://api.exchange.coinbase.com/',
    frankfurter: 'https://api.frankfurter.dev/',
    twelvedata: 'https://api.twelvedata.com/',
  };
  const symbols = Object.keys(PRICES).filter((k) => !k.startsWith('_'));
  // Daily history: the last five UTC days, each close 1 % lower per day back than today's price.
  const DAY = 86400000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  // With `historyDays`, a longer deterministic path per coin instead (see `historyFactor`).
  const days = [4, 3, 2, 1, 0].map((back) => ({ t: today - back * DAY, factor: 1 - 0.01 * back }));
  const longDays = (symbol) =>
    Array.from({ length: historyDays }, (_, i) => historyDays - 1 - i).map((back) => ({ t: today - back * DAY, factor: historyFactor(symbol, back) }));
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  const answer = {
    coingecko: (url) => {
      if (url.pathname.endsWith('/search')) {
        const q = (url.searchParams.get('query') ?? '').toUpperCase();
        const coins = symbols.filter((x) => x === q).map((x) => ({ id: PRICES[x].coingecko, symbol: x, name: x, market_cap_rank: 100 }));
        return { coins, exchanges: [], categories: [] };
      }
      if (url.pathname.includes('/market_chart')) {
        const id = url.pathname.split('/')[4];
        const s = symbols.find((x) => PRICES[x].coingecko === id);
        const path = historyDays > 0 ? longDays(s) : days;
        return s ? { prices: path.map((d) => [d.t, PRICES[s].usd * d.factor]), market_caps: [], total_volumes: [] } : null;
      }
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      const now = Math.floor(Date.now() / 1000);
      const out = {};
      for (const s of symbols) {
        const p = PRICES[s];
        if (ids.includes(p.coingecko)) out[p.coingecko] = { usd: p.usd, usd_24h_change: p.change, last_updated_at: now };
      }
      return out;
    },
    binance: (url) => url.pathname.endsWith('/klines') ? null : symbols.filter((s) => s !== 'USDT').map((s) => ({ symbol: `${s}USDT`, price: String(PRICES[s].usd) })),
    coinbase: (url) => {
      const product = url.pathname.split('/')[2] ?? '';
      const p = PRICES[product.replace('-USD', '')];
      return p ? { price: String(p.usd), time: new Date().toISOString() } : null;
    },
    frankfurter: (url) => {
      if (!url.pathname.includes('..')) return JSON.parse(FX);
      const rates = Object.fromEntries(days.map((d) => [iso(d.t), JSON.parse(FX).rates]));
      return { amount: 1.0, base: 'EUR', start_date: iso(days[0].t), end_date: iso(today), rates };
    },
    twelvedata: (url) => ({ price: '100.0' }),
  };
  const install = async (context) => {
    for (const [name, host] of Object.entries(hosts)) {
      await context.route(`${host}**`, async (route) => {
        calls[name] += 1;
        urls.push(route.request().url());
        const url = new URL(route.request().url());
        switch (mode[name]) {
          case 'hang':
            return; // never answered: the app's timeout must fire
          case 'offline':
            return route.abort('internetdisconnected');
          case 'opaque':
            return route.abort('failed');
          case '429':
            return route.fulfill({ status: 429, headers: CORS, body: '{"status":{"error_code":429,"error_message":"You have exceeded the Rate Limit"}}' });
          case '500':
            return route.fulfill({ status: 500, headers: CORS, body: '{"message":"Internal Server Error"}' });
          case 'malformed':
            return route.fulfill({ status: 200, headers: CORS, body: '<html>maintenance</html>' });
          default: {
            const body = answer[name](url);
            if (body === null) return route.fulfill({ status: 404, headers: CORS, body: '{"message":"NotFound"}' });
            return route.fulfill({ status: 200, headers: CORS, body: JSON.stringify(body) });
          }
        }
      });
    }
  };
  return { mode, calls, urls, install };
}

/**
 * The long history's price factor of a coin `back` days before today (1 today): two waves
 * whose phase depends on the symbol, so coins are correlated but not identical.
 */
export function historyFactor(symbol, back) {
  const phase = [...symbol].reduce((a, c) => a + c.charCodeAt(0), 0) % 7;
  const f = (b) => 1 + 0.06 * Math.sin(0.45 * b + phase) + 0.03 * Math.cos(1.7 * b + 2 * phase);
  return f(back) / f(0);
}

/**
 * A fresh context (its own IndexedDB): providers answered by `mocks`, anything else refused
 * and recorded. `options` are Playwright's (viewport, colorScheme, deviceScaleFactor…).
 * Folio's service worker is blocked unless `options.serviceWorkers` is 'allow' (pwa.test.mjs):
 * what it answers from its cache bypasses the routes, and a test must see what the build it
 * names serves, not what an earlier page cached.
 */
export async function newContext(env, mocks = providerMocks(), options = {}) {
  const context = await env.browser.newContext({ serviceWorkers: 'block', ...options });
  return guard(context, env, mocks);
}

/**
 * Like `newContext`, in a Chromium of its own whose profile is the folder `dir` (not
 * incognito: Chromium installs apps only there). Close the context to end that browser.
 */
export async function newProfileContext(env, dir, mocks = providerMocks(), options = {}) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    serviceWorkers: 'block',
    ...options,
  });
  return guard(context, env, mocks);
}

/** Providers answered by `mocks`, every other request not to `env.base` refused and recorded. */
async function guard(context, env, mocks) {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(env.base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    env.external.push(url);
    return route.abort('blockedbyclient');
  });
  await mocks.install(context);
  context.mocks = mocks;
  return context;
}

/** Opens the app and waits until its data is loaded. Collects page errors in `errors`. */
export async function openApp(context, env, path = '/') {
  const page = await context.newPage();
  // Uncaught exceptions (a Rust panic ends as one) and console errors, kept apart: failing
  // price requests log console errors on purpose in some tests.
  page.errors = [];
  page.consoleErrors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.consoleErrors.push(m.text());
  });
  await page.goto(env.base + path);
  await page.waitForSelector('main h1', { timeout: 30000 });
  return page;
}
