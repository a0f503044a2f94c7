import type { ConformanceReport, PointResult } from './run-conformance.js';
import { suiteRules } from './suite-rules.js';

const marks = { passed: '✓', failed: '✗', skipped: '-' } as const;

export function formatPointResult(result: PointResult): string {
  const line = `  ${marks[result.status]} ${result.id}: ${result.title}`;
  if (result.status === 'failed')
    return `${line}\n      ${(result.message ?? '').split('\n').join('\n      ')}`;
  if (result.status === 'skipped') return `${line} (skipped: ${result.message})`;
  return `${line} (${result.durationMs} ms)`;
}

/** A readable per-point report, grouped by the rule each suite checks. */
export function formatReport(report: ConformanceReport): string {
  const lines = [
    `Handoff support contract: ${report.target}`,
    `random sequences: seed ${report.seed} (the same seed replays them)`,
    '',
  ];
  let suite: string | undefined;
  for (const result of report.results) {
    if (result.suite !== suite) {
      if (suite !== undefined) lines.push('');
      suite = result.suite;
      const rule = suiteRules[suite];
      lines.push(rule === undefined ? suite : `${suite}: ${rule}`);
    }
    lines.push(formatPointResult(result));
  }
  lines.push(
    '',
    `${report.results.length} points: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`,
  );
  if (report.failed > 0) {
    lines.push('', 'Contract points still missing:');
    for (const result of report.results.filter((item) => item.status === 'failed'))
      lines.push(`  ${result.id}: ${result.title}`);
  }
  return lines.join('\n');
}
