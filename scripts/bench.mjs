#!/usr/bin/env node
// `pnpm bench`: builds the packages, runs every benchmark in bench/ (each in its own process,
// with --expose-gc), prints their tables, then every target as met or not, and writes all the
// figures to bench/results.json (`pnpm bench <name>`: only the benchmarks whose file names contain
// <name>, their figures replacing theirs there).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv[2];
const build = spawnSync(`${root}node_modules/.bin/turbo`, ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const scratch = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
const resultsFile = join(scratch, 'results.jsonl');
const started = Date.now();
for (const file of readdirSync(`${root}bench`)
  .filter((name) => name.endsWith('.bench.mjs') && (only === undefined || name.includes(only)))
  .sort()) {
  console.log(`\n# ${file}`);
  const result = spawnSync('node', ['--expose-gc', `bench/${file}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HANDOFF_BENCH_RESULTS: resultsFile },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const benchmarks = readFileSync(resultsFile, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line));
rmSync(scratch, { recursive: true, force: true });
const targets = benchmarks.flatMap((benchmark) => benchmark.targets ?? []);
console.log('\n# targets');
for (const target of targets) console.log(`${target.met ? 'met    ' : 'NOT met'}  ${target.name}`);
const machine = {
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
};
const output = {
  generatedAt: new Date().toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine,
  benchmarks: Object.fromEntries(benchmarks.map(({ name, ...rest }) => [name, rest])),
};
if (only === undefined) {
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\nwrote bench/results.json (${output.durationSeconds} s)`);
} else {
  // `pnpm bench <name>`: the figures of the benchmarks run replace theirs; the others stay.
  const previous = JSON.parse(readFileSync(`${root}bench/results.json`, 'utf8'));
  previous.benchmarks = { ...previous.benchmarks, ...output.benchmarks };
  writeFileSync(`${root}bench/results.json`, `${JSON.stringify(previous, null, 2)}\n`);
  console.log(`\nupdated ${Object.keys(output.benchmarks).join(', ')} in bench/results.json`);
}
