/**
 * `pnpm --filter @flagkit/bench bench:instructions -- --scenario <id>`: counts the machine
 * instructions one operation of a scenario costs one SDK, under valgrind's cachegrind.
 *
 * Wall-clock A/B runs on a shared 2-core VM move by ±10% from run to run, which hides changes of
 * a few percent. An instruction count moves by about 4% at most. Two runs differ only in how many
 * operations they time (after the same warm-up), so start-up, fixture building and JIT warm-up
 * cancel out in the difference. It does not see cache misses, which the wall-clock benchmark
 * does: use it to compare code, and `pnpm bench` for the figures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consume, warmUp } from './measure';
import { isScenarioAndSide, PROFILED_SCENARIOS, scenarioBatch, scenarioOptions } from './scenario-batch';

const USAGE = `Usage: pnpm --filter @flagkit/bench bench:instructions -- --scenario <id> [options]

  --scenario <id>   one of ${PROFILED_SCENARIOS.join(', ')}
  --side <side>     flagkit (default) or reference
  --users <n>       users in the pool (default 500)
  --ops <n>         operations in the shorter run; the longer runs three times as many (default 100000)

Needs valgrind on the PATH (Debian: apt-get install valgrind). Takes about a minute.`;

const CHUNK = 64;

/** In the child: warms the batch up, then runs exactly `ops` operations and exits. */
async function runChild(scenario: string, side: 'flagkit' | 'reference', users: number, ops: number) {
  const batch = await scenarioBatch(scenario, side, users);
  warmUp(batch, 500);
  for (let done = 0; done < ops; done += CHUNK) consume(batch(Math.min(CHUNK, ops - done)));
}

/** Instructions executed by a child that runs `ops` operations, from cachegrind's summary. */
function countInstructions(args: readonly string[], ops: number): number {
  const child = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      // One compiler thread, so the count does not depend on how background compiles interleave.
      '--single-threaded',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      ...args,
      '--ops',
      String(ops),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const match = /I\s+refs:\s+([\d,]+)/.exec(child.stderr ?? '');
  if (child.status !== 0 || !match) {
    throw new Error(`valgrind run failed (status ${child.status}):\n${(child.stderr ?? '').slice(-2000)}`);
  }
  return Number(match[1]!.replaceAll(',', ''));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      ...scenarioOptions('500'),
      ops: { type: 'string', default: '100000' },
      child: { type: 'boolean', default: false },
    },
  });
  const scenario = values.scenario ?? '';
  const side = values.side;
  const ops = Number(values.ops);
  if (values.help || !isScenarioAndSide(scenario, side) || !(ops > 0)) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  if (values.child) {
    await runChild(scenario, side, Number(values.users), ops);
    return;
  }
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('[instructions] valgrind is not on the PATH (Debian: apt-get install valgrind)\n');
    process.exitCode = 1;
    return;
  }
  const args = ['--scenario', scenario, '--side', side, '--users', values.users];
  const short = countInstructions(args, ops);
  const long = countInstructions(args, 3 * ops);
  const perOp = (long - short) / (2 * ops);
  process.stdout.write(
    `${side} ${scenario} (${values.users} users): ${Math.round(perOp)} instructions per operation ` +
      `(cachegrind, ${ops} vs ${3 * ops} operations)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[instructions] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
