import type { Logger } from '@flagkit/node';
import { type FakeCdn, startFakeCdn } from '../../../../packages/core/test-support/fake-cdn';
import { ScriptedServer } from '../../../../packages/event-processor/test-support/scripted-server';
import { FakeOdpServer } from '../../../../packages/odp/test-support/fake-odp-server';
import { type Agent, createAgent } from '../../src/agent';
import { loadConfig } from '../../src/config/load-config';
import type { AgentPlugins } from '../../src/sdk/client-cache';
import { agentDatafile } from './agent-datafile';

export const SDK_KEY = 'sdkKey1';
/** Published without ODP in its datafile. */
export const NO_ODP_SDK_KEY = 'sdkKeyNoOdp';
export const WEBHOOK_SECRET = 'webhook-secret';

/** A started agent with its fake CDN, logx and ODP on 127.0.0.1. */
export interface AgentHarness {
  readonly agent: Agent;
  readonly api: string;
  readonly admin: string;
  readonly webhook: string;
  readonly cdn: FakeCdn;
  readonly logx: ScriptedServer;
  readonly odp: FakeOdpServer;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** A partial config laid over the harness's. */
  readonly config?: unknown;
  readonly env?: Record<string, string>;
  readonly plugins?: AgentPlugins;
  /** The agent's logger, instead of one built from `log.level`. */
  readonly logger?: Logger;
  /** Reuse fakes (a second node of the same deployment). */
  readonly fakes?: { cdn: FakeCdn; logx: ScriptedServer; odp: FakeOdpServer };
}

/** Starts fakes (unless given) and an agent pointed at them, all on ephemeral ports. */
export async function startAgentHarness(options: HarnessOptions = {}): Promise<AgentHarness> {
  const ownFakes = options.fakes === undefined;
  const cdn = options.fakes?.cdn ?? (await startFakeCdn());
  const logx = options.fakes?.logx ?? new ScriptedServer();
  if (ownFakes) await logx.listen();
  const odp = options.fakes?.odp ?? (await new FakeOdpServer().start());
  if (ownFakes) {
    cdn.publish(SDK_KEY, agentDatafile('1', { host: odp.host, publicKey: odp.apiKey }));
    cdn.publish(NO_ODP_SDK_KEY, agentDatafile('1', null));
  }
  const config = loadConfig({
    env: options.env ?? {},
    overrides: deepMerge(
      {
        api: { port: 0, enableNotifications: true, keepAliveInterval: 100 },
        admin: { port: 0 },
        webhook: {
          port: 0,
          projects: { 'proj-1': { sdkKeys: [SDK_KEY], secret: WEBHOOK_SECRET, skipSignatureCheck: false } },
        },
        server: { batchRequests: { operationsLimit: 3, maxConcurrency: 2 } },
        client: {
          datafileURLTemplate: cdn.urlTemplate,
          eventURL: logx.url(),
          flushInterval: 50,
          odp: { eventsFlushInterval: 50 },
          pollingInterval: 60_000,
          datafileTimeout: 3_000,
          userProfileService: { default: 'in-memory' },
        },
        log: { level: 'none' },
      },
      options.config ?? {},
    ),
  });
  const agent = createAgent({
    config,
    ...(options.plugins ? { plugins: options.plugins } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const addresses = await agent.start();
  return {
    agent,
    ...addresses,
    cdn,
    logx,
    odp,
    async close() {
      await agent.close();
      if (ownFakes) await Promise.all([cdn.close(), logx.close(), odp.stop()]);
    },
  };
}

/** Polls `check` until it holds. */
export async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lays `extra` over `base`, map by map. */
export function deepMerge(base: unknown, extra: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return extra ?? base;
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) return extra ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(extra)) out[key] = deepMerge(out[key], value);
  return out;
}
