// Starts the whole demo: the datafile CDN, logx and ODP stand-ins, the server-side SDK and the web
// app, each on its own 127.0.0.1 port (so the page's SDK calls are cross-origin, as in production).

import type { ServerResponse } from 'node:http';
import { AgentDecisions } from './agent-decisions';
import { appHandler } from './app-server';
import { DatafileStore } from './datafile-store';
import { listen, type RunningServer } from './http';
import { buildPageAssets } from './page-bundle';
import {
  SAMPLE_ATTRIBUTES,
  SAMPLE_CUSTOMERS,
  SAMPLE_ODP_PUBLIC_KEY,
  SAMPLE_SDK_KEY,
  SAMPLE_USERS,
  sampleProject,
} from './sample-project';
import type { ServerDecider } from './server-decider';
import { ServerDecisions } from './server-decisions';
import { cdnHandler } from './services/cdn-server';
import { logxHandler } from './services/logx-server';
import { odpHandler } from './services/odp-server';
import { ActivityLog } from './shared/activity';
import type { DemoConfig } from './shared/api';

/** The ports to listen on; 0 picks a free one. */
export interface DemoPorts {
  readonly app: number;
  readonly cdn: number;
  readonly logx: number;
  readonly odp: number;
}

export const DEFAULT_PORTS: DemoPorts = { app: 4100, cdn: 4101, logx: 4102, odp: 4103 };

export interface DemoOptions {
  readonly ports?: Partial<DemoPorts>;
  /**
   * A running FlagKit agent (apps/agent) to compute the server column through Agent's HTTP API,
   * instead of `@flagkit/node` in this process. Point the agent at this demo's stand-ins first.
   */
  readonly agentUrl?: string;
  /** How often both SDKs poll the CDN for a new revision; default 1000 ms. */
  readonly pollIntervalMs?: number;
}

export interface RunningDemo {
  /** The web app's URL. */
  readonly url: string;
  readonly cdnOrigin: string;
  readonly logxEndpoint: string;
  readonly odpHost: string;
  readonly activity: ActivityLog;
  readonly store: DatafileStore;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const activity = new ActivityLog();
  const started: RunningServer[] = [];
  const streams = new Set<ServerResponse>();
  let server: ServerDecider | undefined;

  const close = async () => {
    for (const stream of streams) stream.end();
    await server?.close();
    await Promise.all(started.map((s) => s.close()));
  };

  try {
    // The ODP host goes into the datafile, so ODP listens before the datafile is built. The CDN
    // serves the store that is only created then, so it reads it through `store`.
    const odp = await listen(
      'ODP stand-in',
      ports.odp,
      odpHandler(SAMPLE_ODP_PUBLIC_KEY, SAMPLE_CUSTOMERS, activity),
    );
    started.push(odp);
    const store = new DatafileStore(sampleProject(odp.origin), activity);
    const cdn = await listen('CDN stand-in', ports.cdn, cdnHandler(SAMPLE_SDK_KEY, store));
    started.push(cdn);
    const logx = await listen('logx stand-in', ports.logx, logxHandler(activity));
    started.push(logx);

    const cdnUrlTemplate = `${cdn.origin}/datafiles/%s.json`;
    server = options.agentUrl
      ? new AgentDecisions(options.agentUrl.replace(/\/+$/, ''), SAMPLE_SDK_KEY)
      : new ServerDecisions(SAMPLE_SDK_KEY, cdnUrlTemplate, pollIntervalMs);
    const [assets] = await Promise.all([buildPageAssets(), server.ready(10_000)]);

    const config: DemoConfig = {
      sdkKey: SAMPLE_SDK_KEY,
      cdnUrlTemplate,
      logxEndpoint: `${logx.origin}/v1/events`,
      serverLabel: server.label,
      odpHost: odp.origin,
      pollIntervalMs,
      attributes: SAMPLE_ATTRIBUTES,
      users: SAMPLE_USERS,
      customers: SAMPLE_CUSTOMERS,
    };
    const app = await listen(
      'demo web app',
      ports.app,
      appHandler({ assets, config, store, activity, server, streams }),
    );
    started.push(app);

    return {
      url: `${app.origin}/`,
      cdnOrigin: cdn.origin,
      logxEndpoint: config.logxEndpoint,
      odpHost: odp.origin,
      activity,
      store,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
