/**
 * What the ODP scenarios share: a fake ODP server on 127.0.0.1 (every customer qualifies for
 * `vip`; events are accepted with 202), a datafile whose `odp` integration points at it, and a
 * ready client of each SDK with its ODP manager. The official SDK's ODP manager makes its own
 * HTTP requests; FlagKit's goes through a fetch-based requester.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInstance as createFlagKitInstance, type HttpRequest, type Requester } from '@flagkit/core';
import { createOdpManager as createFlagKitOdpManager } from '@flagkit/odp';
import {
  createInstance as createReferenceInstance,
  createOdpManager as createReferenceOdpManager,
  createStaticProjectConfigManager,
} from '@optimizely/optimizely-sdk';
import type { PerSide } from './measure';

/** The part of a user context the ODP scenarios use. */
export interface OdpBenchUserContext {
  fetchQualifiedSegments(): Promise<unknown>;
}

/** The part of a client the ODP scenarios use. */
export interface OdpBenchClient {
  createUserContext(userId: string): OdpBenchUserContext | null;
  sendOdpEvent(
    action: string,
    type?: string,
    identifiers?: Map<string, string>,
    data?: Map<string, unknown>,
  ): unknown;
  flush(): Promise<unknown>;
  close(): Promise<unknown>;
}

/** Event batching the scenarios ask for: nothing is sent while a measurement runs. */
export interface OdpBenchSettings {
  readonly eventBatchSize: number;
  readonly eventFlushIntervalMs: number;
}

export class FakeOdp {
  private server: Server | null = null;
  private port = 0;
  eventsReceived = 0;

  get host(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        if (req.url === '/v3/events') {
          this.eventsReceived += (JSON.parse(body) as unknown[]).length;
          res.writeHead(202).end('{}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          '{"data":{"customer":{"audiences":{"edges":[{"node":{"name":"vip","state":"qualified"}}]}}}}',
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A datafile with one flag targeted at the ODP segment `vip`, integrated with `host`. */
export function odpDatafile(host: string): string {
  return JSON.stringify({
    version: '4',
    accountId: 'acc',
    projectId: 'proj',
    revision: '1',
    sdkKey: 'sdk-key',
    environmentKey: 'production',
    anonymizeIP: true,
    botFiltering: false,
    experiments: [],
    groups: [],
    attributes: [],
    events: [],
    audiences: [],
    typedAudiences: [
      {
        id: 'aud-vip',
        name: 'vip',
        conditions: [
          'and',
          ['or', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'vip' }],
        ],
      },
    ],
    integrations: [{ key: 'odp', host, publicKey: 'bench-key' }],
    featureFlags: [{ id: 'f1', key: 'vip_flag', rolloutId: 'r1', experimentIds: [], variables: [] }],
    rollouts: [
      {
        id: 'r1',
        experiments: [
          {
            id: 'rule-vip',
            key: 'vip_rule',
            status: 'Running',
            layerId: 'layer-vip',
            audienceIds: ['aud-vip'],
            variations: [{ id: 'on', key: 'on', featureEnabled: true, variables: [] }],
            trafficAllocation: [{ entityId: 'on', endOfRange: 10000 }],
            forcedVariations: {},
          },
        ],
      },
    ],
  });
}

const fetchRequester: Requester = {
  async request(request: HttpRequest) {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  },
};

/** A ready client of each SDK, with ODP, on `odp`'s datafile. */
export async function readyOdpClients(
  odp: FakeOdp,
  settings: OdpBenchSettings,
): Promise<PerSide<OdpBenchClient>> {
  const datafile = odpDatafile(odp.host);
  const flagkit = createFlagKitInstance({
    datafile,
    odpManager: createFlagKitOdpManager({
      requester: fetchRequester,
      eventBatchSize: settings.eventBatchSize,
      eventFlushIntervalMs: settings.eventFlushIntervalMs,
      eventQueueSize: settings.eventBatchSize,
    }),
  });
  const reference = createReferenceInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile }),
    odpManager: createReferenceOdpManager({
      eventBatchSize: settings.eventBatchSize,
      eventFlushInterval: settings.eventFlushIntervalMs,
    }),
  });
  await Promise.all([flagkit.onReady(), reference.onReady()]);
  return {
    flagkit: {
      createUserContext: (id) => flagkit.createUserContext(id),
      sendOdpEvent: (action, type, identifiers, data) =>
        flagkit.sendOdpEvent(
          action,
          type,
          identifiers,
          data as Map<string, string | number | boolean | null>,
        ),
      flush: () => flagkit.flush(),
      close: () => flagkit.close(),
    },
    reference: {
      createUserContext: (id) => reference.createUserContext(id),
      sendOdpEvent: (action, type, identifiers, data) =>
        reference.sendOdpEvent(action, type, identifiers, data as Map<string, string>),
      // Not in the public Client type, but what the official client's own close() uses.
      flush: () => (reference as unknown as { flushImmediately(): Promise<unknown> }).flushImmediately(),
      close: () => reference.close(),
    },
  };
}
