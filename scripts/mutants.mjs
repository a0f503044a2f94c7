#!/usr/bin/env node
// Mutation check: breaks one rule at a time in the sources and runs that package's tests, which
// must then fail. Proves the tests can fail. Usage: node scripts/mutants.mjs [filter]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mutants = JSON.parse(readFileSync(new URL('./mutants.json', import.meta.url), 'utf8'));
const filter = process.argv[2];

let survived = 0;
for (const mutant of mutants) {
  if (filter && !mutant.name.includes(filter)) continue;
  const file = `${root}${mutant.file}`;
  const original = readFileSync(file, 'utf8');
  if (!original.includes(mutant.find)) {
    console.log(`?? ${mutant.name}: pattern not found in ${mutant.file}`);
    survived += 1;
    continue;
  }
  writeFileSync(file, original.replace(mutant.find, mutant.replace));
  try {
    const run = spawnSync('npx', ['vitest', 'run', '--project', mutant.project, '--reporter=dot'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
    const killed = run.status !== 0;
    if (!killed) survived += 1;
    console.log(`${killed ? 'killed  ' : 'SURVIVED'} ${mutant.name}`);
  } finally {
    writeFileSync(file, original);
  }
}
console.log(survived === 0 ? 'every mutant was killed' : `${survived} mutant(s) survived`);
process.exit(survived === 0 ? 0 : 1);
