import { createLogger, createUndiciRequester, type Logger, type Requester } from '@flagkit/node';
import type { FastifyInstance } from 'fastify';
import { createAdminServer } from './admin-server';
import { createApiServer, type ServerParts } from './api-server';
import type { AgentConfig } from './config/agent-config';
import { HttpMetrics } from './http/http-metrics';
import { createRedisPlugins } from './redis/redis-plugins';
import { type AgentPlugins, ClientCache } from './sdk/client-cache';
import { EventCounters } from './sdk/event-counters';
import { createInMemoryDatafileSync } from './sync/datafile-sync';
import { createInMemoryNotificationBus } from './sync/notification-bus';
import { createWebhookServer } from './webhook-server';

export interface AgentOptions {
  readonly config: AgentConfig;
  /** Shared parts (user profile services, segment caches, notification bus, datafile sync). */
  readonly plugins?: AgentPlugins;
  /** The HTTP port for datafiles, events, ODP and CMAB predictions; default one undici pool. */
  readonly requester?: Requester;
  readonly logger?: Logger;
}

/** Where each listener ended up, once started. */
export interface AgentAddresses {
  readonly api: string;
  readonly admin: string;
  readonly webhook: string;
}

/** A running (or ready to run) agent: three listeners over one SDK client cache. */
export interface Agent {
  readonly api: FastifyInstance;
  readonly admin: FastifyInstance;
  readonly webhook: FastifyInstance;
  readonly clients: ClientCache;
  /** Builds the pre-warmed clients (`sdkKeys`), then listens on the configured host and ports. */
  start(): Promise<AgentAddresses>;
  /** Stops listening, then closes every SDK client (flushing their events) and the shared parts. */
  close(): Promise<void>;
}

/** Wires an agent from its config. */
export function createAgent(options: AgentOptions): Agent {
  const { config } = options;
  const logger =
    options.logger ??
    (config.log.level === 'none'
      ? createLogger({ level: 'error', logHandler: { log() {} } })
      : createLogger({ level: config.log.level }));
  const requester = options.requester ?? createUndiciRequester();
  // Redis parts the config asks for; plugins given explicitly win.
  const redis = createRedisPlugins(config, logger);
  const plugins: AgentPlugins = {
    ...redis?.plugins,
    ...options.plugins,
    userProfileServices: { ...redis?.plugins.userProfileServices, ...options.plugins?.userProfileServices },
    segmentsCaches: { ...redis?.plugins.segmentsCaches, ...options.plugins?.segmentsCaches },
    cmabCaches: { ...redis?.plugins.cmabCaches, ...options.plugins?.cmabCaches },
  };
  const bus = plugins.notificationBus ?? createInMemoryNotificationBus();
  const datafileSync = plugins.datafileSync ?? createInMemoryDatafileSync();
  const events = new EventCounters();
  const clients = new ClientCache(config, requester, logger, plugins, bus, datafileSync, events);
  const parts: ServerParts = { config, clients, bus, metrics: new HttpMetrics(), events, logger };
  const api = createApiServer(parts);
  const admin = createAdminServer(parts);
  const webhook = createWebhookServer(parts);

  return {
    api,
    admin,
    webhook,
    clients,
    async start() {
      const warmed = await Promise.allSettled(config.sdkKeys.map((key) => clients.get(key)));
      warmed.forEach((result, i) => {
        if (result.status === 'rejected') {
          logger.log(
            'error',
            `Pre-warming SDK key ${config.sdkKeys[i]} failed: ${(result.reason as Error).message}`,
          );
        }
      });
      const host = config.server.host;
      const [apiAddress, adminAddress, webhookAddress] = await Promise.all([
        api.listen({ host, port: config.api.port }),
        admin.listen({ host, port: config.admin.port }),
        webhook.listen({ host, port: config.webhook.port }),
      ]);
      return { api: apiAddress, admin: adminAddress, webhook: webhookAddress };
    },
    async close() {
      await Promise.all([api.close(), admin.close(), webhook.close()]);
      await clients.close();
      await Promise.all([bus.close?.(), datafileSync.close?.()]);
      await redis?.close();
    },
  };
}
