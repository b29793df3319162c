/**
 * `pnpm bench` (size part): FlagKit's and the official SDK's bundles for the same import sets,
 * with FlagKit's budget. The budgets themselves are enforced by `pnpm test` (budgets.test.ts).
 */
import { measureImportSets } from './measure-import-sets';

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

async function main(): Promise<void> {
  const rows = await measureImportSets();
  const header = [
    'import set',
    'FlagKit min',
    'gzip',
    'brotli',
    'reference min',
    'gzip',
    'brotli',
    'gzip ratio',
    'budget',
    'met',
  ];
  const table = rows.map(({ set, flagkit, reference }) => [
    set.title,
    kb(flagkit.minified),
    kb(flagkit.gzip),
    kb(flagkit.brotli),
    kb(reference.minified),
    kb(reference.gzip),
    kb(reference.brotli),
    `${(flagkit.gzip / reference.gzip).toFixed(2)}x`,
    `<= ${kb(set.gzipBudget)}`,
    flagkit.gzip <= set.gzipBudget ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `\nBundle size (esbuild 0.28, ESM, minified, browser, dependencies included; kB = 1000 bytes)\n\n`,
  );
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of table) process.stdout.write(`${line(row)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[size] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
