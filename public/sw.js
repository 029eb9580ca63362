// Folio's service worker: the app shell (every file of one build) kept in a cache of its own,
// so that Folio starts with no network. Registered by sw_register.js.
//
// BUILD is written by the build (scripts/precache.mjs, from Trunk's post_build hook): the
// build's version (a hash of every file) and each file's address and SHA-256. A new build
// changes these bytes, so the browser installs the new worker beside the old one: it fills a
// cache of its own (each file checked against its hash, so that no file of another build gets
// in) and waits. The page offers the update; only when the user accepts ("skip-waiting") does
// it take over, delete the old cache and have every page reload, so that a page never mixes
// files of two builds. Requests to other origins (the price and FX providers) are never answered
// here: they go to the network, and the app keeps their answers in IndexedDB.
// Under `trunk serve` BUILD is null: no cache, and any cache of an earlier build is deleted.

const BUILD = /* FOLIO_BUILD */ null;

const PREFIX = 'folio-';
const CACHE = BUILD && `${PREFIX}${BUILD.version}`;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('index.html', SCOPE).pathname;
const FILES = new Map((BUILD?.files ?? []).map((f) => [new URL(f.path, SCOPE).pathname, f.sha256]));

self.addEventListener('install', (event) => {
  if (!BUILD) {
    event.waitUntil(self.skipWaiting());
    return;
  }
  event.waitUntil(precache());
});

// Activating takes over the pages the previous worker controlled (they reload: see
// sw_register.js). Pages it did not control are not claimed: a first visit runs from the
// network to its end, as it started, whatever build the server has since.
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
  })());
});

// The page's answer to the offer of a new version.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  if (!BUILD) return;
  const request = event.request;
  const url = new URL(request.url);
  // Other origins (price and FX providers) and writes: the network, untouched and uncached.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (FILES.has(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request));
  } else if (request.mode === 'navigate' && !/\.[a-z0-9]+$/i.test(url.pathname)) {
    // The app's addresses (/, /settings…) are all index.html, as the server answers them.
    event.respondWith(fromCache(INDEX, request));
  }
});

/** This build's copy of `path`; the network only if the cache lost it (storage cleared). */
async function fromCache(path, request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(path)) ?? fetch(request);
}

/** Fills this build's cache with every file of the build, each checked against its hash. */
async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all([...FILES].map(async ([path, sha256]) => {
    if (await cache.match(path)) return;
    // The HTTP cache first (the page has just downloaded most files); then the server itself.
    let response = await verified(path, sha256, 'default');
    if (!response) response = await verified(path, sha256, 'reload');
    if (!response) throw new Error(`${path} on the server is not the one of build ${BUILD.version}`);
    await cache.put(path, response);
  }));
}

/** `path` fetched with the given cache mode, if it is the file the build lists. */
async function verified(path, sha256, mode) {
  const response = await fetch(path, { cache: mode });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', body);
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== sha256) return null;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
