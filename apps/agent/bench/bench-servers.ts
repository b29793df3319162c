import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A datafile CDN and a logx sink on 127.0.0.1 for the benchmark; the sink counts events by uuid. */
export interface BenchServers {
  readonly urlTemplate: string;
  readonly eventUrl: string;
  /** Distinct event uuids received. */
  readonly eventUuids: Set<string>;
  /** Events received per logx `project_id`. */
  readonly eventsByProject: Map<string, number>;
  /** Event uuids received more than once. */
  duplicates: number;
  close(): Promise<void>;
}

export async function startBenchServers(datafiles: Readonly<Record<string, string>>): Promise<BenchServers> {
  const eventUuids = new Set<string>();
  const eventsByProject = new Map<string, number>();
  const state = { duplicates: 0 };
  const cdn = createServer((req, res) => {
    const key = /\/([^/]+)\.json$/.exec(req.url ?? '')?.[1];
    const body = key === undefined ? undefined : datafiles[key];
    if (body === undefined) {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  const logx = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const batch = JSON.parse(text) as {
        project_id: string;
        visitors: { snapshots: { events: { uuid: string }[] }[] }[];
      };
      let count = 0;
      for (const visitor of batch.visitors) {
        for (const snapshot of visitor.snapshots) {
          for (const event of snapshot.events) {
            count++;
            if (eventUuids.has(event.uuid)) state.duplicates++;
            else eventUuids.add(event.uuid);
          }
        }
      }
      eventsByProject.set(batch.project_id, (eventsByProject.get(batch.project_id) ?? 0) + count);
      res.writeHead(204).end();
    });
  });
  const listen = (server: Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const [cdnPort, logxPort] = await Promise.all([listen(cdn), listen(logx)]);
  return {
    urlTemplate: `http://127.0.0.1:${cdnPort}/datafiles/%s.json`,
    eventUrl: `http://127.0.0.1:${logxPort}/v1/events`,
    eventUuids,
    eventsByProject,
    get duplicates() {
      return state.duplicates;
    },
    set duplicates(value: number) {
      state.duplicates = value;
    },
    async close() {
      for (const server of [cdn, logx]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
