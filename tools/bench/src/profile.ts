/**
 * `pnpm --filter @flagkit/bench bench:profile -- --scenario <id>`: runs one scenario's loop for one
 * SDK under the V8 CPU profiler and prints the functions with the most self time, mapped to
 * their TypeScript sources. Only the timed loop is profiled, after a warm-up; fixture
 * generation and client creation are not. `--out` also saves the `.cpuprofile` for Chrome
 * DevTools or speedscope.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hotSpots } from './cpu-profile';
import { checksum, consume, now, warmUp } from './measure';
import {
  isScenarioAndSide,
  PROFILED_SCENARIOS as SCENARIOS,
  scenarioBatch,
  scenarioOptions,
} from './scenario-batch';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `Usage: pnpm --filter @flagkit/bench bench:profile -- --scenario <id> [options]

  --scenario <id>   one of ${SCENARIOS.join(', ')}
  --side <side>     flagkit (default) or reference
  --seconds <n>     profiled duration (default 5)
  --top <n>         functions to list (default 15)
  --users <n>       users in the pool (default 10000)
  --out <file>      also save the .cpuprofile (relative to where pnpm was run)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      ...scenarioOptions('10000'),
      seconds: { type: 'string', default: '5' },
      top: { type: 'string', default: '15' },
      out: { type: 'string' },
    },
  });
  const scenario = values.scenario ?? '';
  const side = values.side;
  if (values.help || !isScenarioAndSide(scenario, side)) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const batch = await scenarioBatch(scenario, side, Number(values.users));
  warmUp(batch, 1000);

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const seconds = Number(values.seconds);
  const start = now();
  let ops = 0;
  while (now() - start < seconds * 1000) {
    consume(batch(64));
    ops += 64;
  }
  const elapsed = now() - start;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();

  process.stdout.write(
    `${side} ${scenario}: ${Math.round((ops * 1000) / elapsed)} ops/s while profiled (checksum ${checksum()})\n\n`,
  );
  const rows = hotSpots(profile, Number(values.top), REPO_ROOT);
  const nameWidth = Math.max(8, ...rows.map((row) => row.functionName.length));
  process.stdout.write(
    `${'self ms'.padStart(9)}  ${'self %'.padStart(6)}  ${'function'.padEnd(nameWidth)}  location\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `${row.selfMs.toFixed(1).padStart(9)}  ${row.selfPercent.toFixed(1).padStart(6)}  ` +
        `${row.functionName.padEnd(nameWidth)}  ${row.location}\n`,
    );
  }
  if (values.out) {
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    process.stdout.write(`\nprofile written to ${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[profile] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
