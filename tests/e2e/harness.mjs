// Shared set-up for the end-to-end tests: the release build in dist/ served on loopback,
// Debian's Chromium driven by playwright-core, and every request that is not to our own
// server refused (tests never touch the internet).
import { chromium } from 'playwright-core';
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

/** Starts the server and the browser. Returns { base, browser, close, external }. */
export async function start() {
  const server = await serve(join(ROOT, 'dist'), 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
  });
  const external = [];
  const close = async () => {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  };
  return { base, browser, close, external };
}

/** A fresh context (its own IndexedDB) whose non-local requests are refused and recorded. */
export async function newContext(env) {
  const context = await env.browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(env.base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    env.external.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

/** Opens the app and waits until its data is loaded. Collects page errors in `errors`. */
export async function openApp(context, env, path = '/') {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.goto(env.base + path);
  await page.waitForSelector('main h1', { timeout: 30000 });
  return page;
}
