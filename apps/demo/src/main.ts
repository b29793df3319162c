// `pnpm demo`: starts the demo and prints its URL; Ctrl-C shuts everything down. With `--check`,
// or when CI is set, it checks the demo answers and exits (0 when it does).
//
// Ports: --port, --cdn-port, --logx-port, --odp-port (or DEMO_PORT, DEMO_CDN_PORT, DEMO_LOGX_PORT,
// DEMO_ODP_PORT); 0 picks a free port.

import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, type DemoPorts, type RunningDemo, startDemo } from './demo';
import { selfCheck } from './self-check';

function port(flag: string | undefined, env: string | undefined, fallback: number, name: string): number {
  const text = flag ?? env;
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got "${text}".`);
  }
  return value;
}

function readOptions(): { ports: DemoPorts; check: boolean; agentUrl: string | undefined } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'cdn-port': { type: 'string' },
      'logx-port': { type: 'string' },
      'odp-port': { type: 'string' },
      check: { type: 'boolean', default: false },
      agent: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: pnpm demo [-- --port 4100 --cdn-port 4101 --logx-port 4102 --odp-port 4103 --check\n' +
        '                  --agent http://127.0.0.1:8080]\n' +
        'Environment: DEMO_PORT, DEMO_CDN_PORT, DEMO_LOGX_PORT, DEMO_ODP_PORT, DEMO_AGENT_URL;\n' +
        'CI=true implies --check. --agent: the server column is decided by a running FlagKit agent.',
    );
    process.exit(0);
  }
  const env = process.env;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return {
    check: values.check || ci,
    agentUrl: values.agent ?? (env.DEMO_AGENT_URL || undefined),
    ports: {
      app: port(values.port, env.DEMO_PORT, DEFAULT_PORTS.app, '--port'),
      cdn: port(values['cdn-port'], env.DEMO_CDN_PORT, DEFAULT_PORTS.cdn, '--cdn-port'),
      logx: port(values['logx-port'], env.DEMO_LOGX_PORT, DEFAULT_PORTS.logx, '--logx-port'),
      odp: port(values['odp-port'], env.DEMO_ODP_PORT, DEFAULT_PORTS.odp, '--odp-port'),
    },
  };
}

async function main(): Promise<void> {
  const { ports, check, agentUrl } = readOptions();
  let demo: RunningDemo;
  try {
    demo = await startDemo({ ports, ...(agentUrl ? { agentUrl } : {}) });
  } catch (error) {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    [
      '',
      '  FlagKit demo',
      '',
      `  Open ${demo.url}`,
      '',
      `  datafile CDN  ${demo.cdnOrigin}/datafiles/flagkit-demo.json`,
      `  logx          ${demo.logxEndpoint}`,
      `  ODP           ${demo.odpHost}/v3/graphql, /v3/events`,
      '',
    ].join('\n'),
  );

  if (check) {
    console.log('  Checking that the demo answers (CI or --check):');
    try {
      await selfCheck(demo);
      console.log('  The demo answers. Stopping (run it without CI set to keep it running).');
    } catch (error) {
      console.error(`  Check failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
    await demo.close();
    return;
  }

  console.log('  Press Ctrl-C to stop.\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.exit(1); // a second Ctrl-C: do not wait
    }
    stopping = true;
    console.log(`\n  ${signal}: shutting down…`);
    demo.close().then(
      () => {
        console.log('  Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
