/**
 * The import sets measured for both SDKs: what an application bundles to do a given job. Each entry
 * uses what it imports (results go to globalThis), so the bundler cannot drop it as dead code. The
 * reference's sets are the ones `shared/reference/peers.md` §1.1 measured.
 */
export interface ImportSet {
  readonly id: string;
  readonly title: string;
  /** Entry source for FlagKit. */
  readonly flagkit: string;
  /** Entry source for `@optimizely/optimizely-sdk`. */
  readonly reference: string;
  /** FlagKit's gzip budget in bytes; the size test fails above it. */
  readonly gzipBudget: number;
}

const USE = `
const user = client.createUserContext('user-1', { country: 'US' });
globalThis.decision = user.decide('flag');
`;

export const IMPORT_SETS: readonly ImportSet[] = [
  {
    id: 'static-decide',
    title: 'static datafile + decide',
    flagkit: `
import { createInstance } from '@flagkit/browser';
const client = createInstance({ datafile: globalThis.DATAFILE });
${USE}`,
    reference: `
import { createInstance, createStaticProjectConfigManager } from '@optimizely/optimizely-sdk';
const client = createInstance({
  projectConfigManager: createStaticProjectConfigManager({ datafile: globalThis.DATAFILE }),
});
${USE}`,
    gzipBudget: 8_000,
  },
  {
    id: 'polling-events',
    title: '+ polling + batch events',
    flagkit: `
import { createBatchEventProcessor, createInstance, createPollingConfigManager } from '@flagkit/browser';
const client = createInstance({
  projectConfigManager: createPollingConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
});
${USE}`,
    reference: `
import { createBatchEventProcessor, createInstance, createPollingProjectConfigManager } from '@optimizely/optimizely-sdk';
const client = createInstance({
  projectConfigManager: createPollingProjectConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
});
${USE}`,
    gzipBudget: 15_000,
  },
  {
    id: 'odp-vuid',
    title: '+ ODP + VUID + logger',
    flagkit: `
import { createBatchEventProcessor, createInstance, createLogger, createOdpManager, createPollingConfigManager } from '@flagkit/browser';
const client = createInstance({
  projectConfigManager: createPollingConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
  odpManager: createOdpManager({ enableVuid: true }),
  logger: createLogger({ level: 'info' }),
});
${USE}`,
    reference: `
import {
  createBatchEventProcessor, createInstance, createLogger, createOdpManager, createPollingProjectConfigManager,
  createVuidManager, INFO,
} from '@optimizely/optimizely-sdk';
const client = createInstance({
  projectConfigManager: createPollingProjectConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
  odpManager: createOdpManager(),
  vuidManager: createVuidManager({ enableVuid: true }),
  logger: createLogger({ level: INFO }),
});
${USE}`,
    gzipBudget: 20_000,
  },
];
