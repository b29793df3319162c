/**
 * `pnpm --filter @flagkit/bench bench:loop -- --scenario <id> [--seconds 6]`: runs one scenario's
 * loop for one SDK for a while and exits, for profilers that watch a whole process from outside.
 * With Linux perf, which (unlike the V8 CPU profiler) names the engine builtins a function
 * spends its time in (`Builtins_ObjectKeys`, `Builtins_LoadIC_Megamorphic`, ...):
 *
 *   perf record -F 2000 -g -o perf.data node --perf-basic-prof --import tsx src/run-loop.ts -- --scenario decide-new-context
 *   perf report -i perf.data --no-children --sort symbol -g none
 */
import { parseArgs } from 'node:util';
import { consume, warmUp } from './measure';
import { isScenarioAndSide, PROFILED_SCENARIOS, scenarioBatch, scenarioOptions } from './scenario-batch';

const USAGE = `Usage: pnpm --filter @flagkit/bench bench:loop -- --scenario <id> [options]

  --scenario <id>   one of ${PROFILED_SCENARIOS.join(', ')}
  --side <side>     flagkit (default) or reference
  --seconds <n>     how long to run the loop after the warm-up (default 6)
  --users <n>       users in the pool (default 10000)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { ...scenarioOptions('10000'), seconds: { type: 'string', default: '6' } },
  });
  const scenario = values.scenario ?? '';
  const side = values.side;
  const seconds = Number(values.seconds);
  if (values.help || !isScenarioAndSide(scenario, side) || !(seconds > 0)) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const batch = await scenarioBatch(scenario, side, Number(values.users));
  warmUp(batch, 500);
  let operations = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    consume(batch(1000));
    operations += 1000;
  }
  process.stdout.write(`${side} ${scenario}: ${operations} operations in ${seconds} s\n`);
}

await main();
