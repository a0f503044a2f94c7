#!/usr/bin/env node
// Sums every vitest JSON report and every named check into the one line CI reads:
// "N passed, M failed". Usage: node scripts/test-summary.mjs <results dir> [check=status ...]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [directory = '.test-results', ...checks] = process.argv.slice(2);
let passed = 0;
let failed = 0;

if (existsSync(directory)) {
  for (const name of readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    try {
      const report = JSON.parse(readFileSync(join(directory, name), 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      // A suite that failed to load has no tests but must still count as a failure.
      for (const suite of report.testResults ?? []) {
        if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
      }
      console.log(`${name}: ${report.numPassedTests ?? 0} passed, ${report.numFailedTests ?? 0} failed`);
    } catch (error) {
      failed += 1;
      console.log(`${name}: unreadable report (${error instanceof Error ? error.message : error})`);
    }
  }
}

for (const check of checks) {
  const [name, status] = check.split('=');
  if (name === 'test-command') {
    // The test command failing is already counted through its failed tests, unless it failed
    // before any test could report (install or start-up failure).
    if (status !== '0' && failed === 0) {
      failed += 1;
      console.log(`check ${name}: failed (exit ${status}) before any test reported a failure`);
    }
    continue;
  }
  if (status === '0') passed += 1;
  else failed += 1;
  console.log(`check ${name}: ${status === '0' ? 'passed' : `failed (exit ${status})`}`);
}

console.log(`${passed} passed, ${failed} failed`);
