#!/usr/bin/env node
// `pnpm start`: builds what the runtime needs and starts it with embedded defaults.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}apps/runtime/package.json`)) {
  console.log('The reference runtime (apps/runtime) is not built yet: there is nothing to start.');
  console.log('Run the tests instead: pnpm test');
  process.exit(0);
}
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(`${root}node_modules/.bin/turbo`, [
  'run',
  'build',
  '--filter=@handoff/runtime...',
  '--output-logs=errors-only',
]);
run('node', ['apps/runtime/dist/main.js', ...process.argv.slice(2)]);
