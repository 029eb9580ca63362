// Writes the service worker of a finished build (the last step of Trunk's post_build hook,
// scripts/trunk-post-build.mjs): public/sw.js with its BUILD filled in, the list of every
// file of the build (but sw.js itself) with its SHA-256, and the build's version, a hash of
// all of them and of the worker's own code. Any change to any file makes a new version, so
// the browser installs the new worker and the page offers the update.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';

export const WORKER = 'sw.js';
const PLACEHOLDER = '/* FOLIO_BUILD */ null';

/** Every file under `dir`, as paths relative to it with `/`, sorted. */
function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes `dir`/sw.js from `template` (public/sw.js). With `precache` false (under `trunk
 * serve`), BUILD stays null: the worker caches nothing. Returns the build's version (null
 * without precache).
 */
export function writeServiceWorker({ dir, template, precache = true }) {
  const code = readFileSync(template, 'utf8');
  if (!code.includes(PLACEHOLDER)) throw new Error(`${template}: no \`${PLACEHOLDER}\` for the build's file list`);
  if (!precache) {
    writeFileSync(join(dir, WORKER), code);
    return null;
  }
  const list = files(dir)
    .filter((path) => path !== WORKER)
    .map((path) => ({ path, sha256: sha256(readFileSync(join(dir, path))) }));
  const version = sha256(JSON.stringify([sha256(code), list])).slice(0, 16);
  const build = JSON.stringify({ version, files: list }, null, 1);
  writeFileSync(join(dir, WORKER), code.replace(PLACEHOLDER, build));
  return version;
}

/** The BUILD a written sw.js holds ({ version, files }), or null (a build without precache). */
export function readBuild(dir) {
  const code = readFileSync(join(dir, WORKER), 'utf8');
  const found = code.match(/^const BUILD = ([\s\S]*?);$/m);
  if (!found) throw new Error(`${join(dir, WORKER)}: no \`const BUILD = …;\` line`);
  return JSON.parse(found[1].replace(PLACEHOLDER, 'null'));
}
