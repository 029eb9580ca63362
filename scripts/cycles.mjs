// Import cycles between the crate's files, found by cargo-cycles (`make lint`). cargo-cycles
// counts a parent's `mod child;` as an import of the child, so a child that uses an item of
// its parent's mod.rs makes a "cycle" with it; such a cycle is left out unless the parent also
// names the child in a path (`child::…`). Every other cycle is printed, and with "fail" the
// exit status is 1 when there is one.
// Usage: node scripts/cycles.mjs [report|fail]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const mode = process.argv[2] ?? 'report';
const run = spawnSync('cargo-cycles', ['--workspace', process.cwd()], { encoding: 'utf8' });
if (run.error) throw new Error(`cargo-cycles could not run (scripts/install-tools.sh installs it): ${run.error.message}`);
// Its verdict is logged on stderr, the cycles printed on stdout.
if (!/No circular module dependencies found|Found \d+ circular module dependencies/.test(run.stderr)) {
  process.stderr.write(run.stdout + run.stderr);
  throw new Error(`cargo-cycles gave no verdict (exit ${run.status})`);
}

// "Cycle N:", its path, then one line per edge: "    file.rs:line (from -> to)".
const cycles = run.stdout.split(/^Cycle \d+:$/m).slice(1).map((block) => ({
  text: block.trim(),
  edges: [...block.matchAll(/^\s+(\S+\.rs):(\d+) \((\S+) -> (\S+)\)$/gm)]
    .map(([, file, line, from, to]) => ({ file, line: Number(line), from, to })),
}));

/** A parent's `mod child;` line, when the parent names the child nowhere else. */
function declarationOnly({ file, line, to }) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const child = to.split('::').pop();
  const declaration = new RegExp(`^\\s*(pub(\\([^)]*\\))?\\s+)?mod\\s+${child}\\s*;`);
  if (!declaration.test(lines[line - 1] ?? '')) return false;
  const used = new RegExp(`\\b${child}::`);
  return !lines.some((text, i) => i !== line - 1 && !/^\s*\/\//.test(text) && used.test(text));
}

const real = cycles.filter((c) => c.edges.length > 0 && !c.edges.some(declarationOnly));
const left = cycles.length - real.length;
for (const c of real) console.log(`cycle:\n  ${c.text.replace(/\n\s*/g, '\n  ')}`);
console.log(`cycles: ${real.length} import cycle(s)` +
  (left ? `; ${left} left out: a child using its parent's mod.rs, which declares it and uses nothing of it` : ''));
if (real.length > 0) {
  if (mode === 'fail') process.exit(1);
  console.log('cycles: REPORTED, not failing (make CYCLES=fail fails on them)');
}
