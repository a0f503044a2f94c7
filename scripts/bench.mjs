#!/usr/bin/env node
// `pnpm bench`: builds the packages, runs every benchmark in bench/ and prints its figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(`${root}node_modules/.bin/turbo`, ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
for (const file of readdirSync(`${root}bench`)
  .filter((name) => name.endsWith('.bench.mjs'))
  .sort()) {
  console.log(`\n# ${file}`);
  const result = spawnSync('node', [`bench/${file}`], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
