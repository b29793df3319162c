#!/usr/bin/env node
// Starts the agent: `flagkit-agent [-c config.yaml]`; the file may also be named by OPTIMIZELY_CONFIG_FILE.
import { existsSync } from 'node:fs';
import { createAgent } from './agent';
import { loadConfig } from './config/load-config';

function configFile(argv: readonly string[]): string | undefined {
  const flag = argv.findIndex((a) => a === '-c' || a === '--config');
  if (flag !== -1) return argv[flag + 1];
  if (process.env.OPTIMIZELY_CONFIG_FILE) return process.env.OPTIMIZELY_CONFIG_FILE;
  return existsSync('config.yaml') ? 'config.yaml' : undefined;
}

async function main(): Promise<void> {
  const file = configFile(process.argv.slice(2));
  const config = loadConfig(file ? { file } : {});
  const agent = createAgent({ config });
  const addresses = await agent.start();
  console.log(`FlagKit agent: api ${addresses.api}, admin ${addresses.admin}, webhook ${addresses.webhook}`);
  if (config.api.auth.hmacSecrets.length === 0)
    console.warn('API auth is disabled: no hmacSecrets configured.');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing (flushing events)…`);
    agent.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
