/**
 * Output: an aligned text table for people and a JSON document with the same numbers (plus the
 * individual samples) for tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgreementReport } from './agreement';
import type { Environment } from './environment';
import type { ScenarioResult, Target, Unit } from './scenarios/scenario-result';

/** Everything one benchmark run produced. */
export interface BenchReport {
  readonly environment: Environment;
  readonly results: readonly ScenarioResult[];
  readonly agreement: readonly AgreementReport[];
  /** The checksum of all consumed results; printed so no measured work is dead code. */
  readonly checksum: number;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatValue(value: number | null, unit: Unit): string {
  if (value === null || Number.isNaN(value)) return '-';
  switch (unit) {
    case 'ops/s':
      return integerFormat.format(value);
    case 'ms':
      return value < 10 ? value.toFixed(3) : value.toFixed(2);
    case 'bytes':
      return `${(value / 1000).toFixed(1)} kB`;
    case 'bytes/client':
      return `${(value / 1024).toFixed(1)} KiB`;
  }
}

function formatRatio(ratio: number | null): string {
  if (ratio === null || Number.isNaN(ratio)) return '-';
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

function formatTarget(target: Target | null): string {
  if (!target) return '-';
  return `${target.kind === 'at-least' ? '>=' : '<='} ${formatRatio(target.ratio)}`;
}

function formatPass(pass: boolean | null): string {
  if (pass === null) return '-';
  return pass ? 'yes' : 'NO';
}

/** Renders rows as a table: text columns left-aligned, numeric columns right-aligned. */
function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The results as an aligned table, one row per scenario. Ratios are always FlagKit / reference. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'unit', 'flagkit', 'reference', 'ratio fk/ref', 'target', 'pass'];
  const rows = results.map((r) => [
    r.title,
    r.unit,
    formatValue(r.flagkit, r.unit),
    formatValue(r.reference, r.unit),
    formatRatio(r.ratio),
    formatTarget(r.target),
    formatPass(r.pass),
  ]);
  return renderTable(header, rows, new Set([2, 3, 4, 5]));
}

/** One warning line per datafile on which the SDKs disagreed, with up to `examples` examples. */
export function formatAgreementWarnings(reports: readonly AgreementReport[], examples = 5): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.disagreements.length === 0) continue;
    lines.push(
      `WARNING: the SDKs disagree on ${report.disagreements.length} of ${report.checked} sampled decisions ` +
        `(${report.flagCount}-flag datafile); the comparison may be unfair.`,
    );
    for (const d of report.disagreements.slice(0, examples)) {
      lines.push(
        `  ${d.via} user=${JSON.stringify(d.userId)} flag=${d.flagKey}: flagkit=${d.flagkit} reference=${d.reference}`,
      );
    }
  }
  return lines;
}

/** Writes the report as JSON to `file`, creating its directory. */
export function writeJsonReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
