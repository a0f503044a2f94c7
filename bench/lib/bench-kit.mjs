// Helpers the benchmarks share: statistics, a results file, and the runtime/fake set-ups.
import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value below which `share` (0..1) of the values fall (nearest rank). */
export function percentile(values, share) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

/** Prints rows as an aligned table. */
export function printTable(headers, rows) {
  const widths = headers.map((header, column) =>
    Math.max(String(header).length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) => cells.map((cell, column) => String(cell).padEnd(widths[column])).join('  ');
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/**
 * Hands a benchmark's figures to `pnpm bench`, which gathers them into bench/results.json. Each
 * target is `{ name, met, figure }`; `kind` says whether figures are ratios (stable across
 * machines) or absolute (this machine only).
 */
export function report(name, result) {
  const file = process.env.HANDOFF_BENCH_RESULTS;
  if (file === undefined) return;
  mkdirSync(fileURLToPath(new URL('.', `file://${file}`)), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ name, ...result })}\n`);
}

export const formatNumber = (value, digits = 0) =>
  value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
