/**
 * The import sets measured for both SDKs: what an application bundles to do a given job. Each entry
 * uses what it imports (results go to globalThis), so the bundler cannot drop it as dead code. The
 * reference's sets are the ones `shared/reference/peers.md` §1.1 measured.
 *
 * The budgeted sets describe jobs done with the decide API, so FlagKit's side uses
 * `createDecideClient`; the `-full-api` sets show the cost of `createInstance`'s full Optimizely API
 * (legacy methods and `getOptimizelyConfig`) for the same job, with no budget.
 */
export interface ImportSet {
  readonly id: string;
  readonly title: string;
  /** Entry source for FlagKit. */
  readonly flagkit: string;
  /** Entry source for `@optimizely/optimizely-sdk`. */
  readonly reference: string;
  /**
   * FlagKit's gzip budget in bytes (issue 5), which `pnpm bench` reports pass/fail against.
   * Absent for informational sets.
   */
  readonly gzipBudget?: number;
  /**
   * FlagKit's measured gzip size rounded up by about 3 %: a regression guard. The size test fails
   * above it (and prints the distance to the budget). Lower it when the bundle shrinks.
   */
  readonly gzipCeiling: number;
}

const USE = `
const user = client.createUserContext('user-1', { country: 'US' });
globalThis.decision = user.decide('flag');
`;

const REFERENCE_STATIC = `
import { createInstance, createStaticProjectConfigManager } from '@optimizely/optimizely-sdk';
const client = createInstance({
  projectConfigManager: createStaticProjectConfigManager({ datafile: globalThis.DATAFILE }),
});
${USE}`;

const REFERENCE_POLLING_EVENTS = `
import { createBatchEventProcessor, createInstance, createPollingProjectConfigManager } from '@optimizely/optimizely-sdk';
const client = createInstance({
  projectConfigManager: createPollingProjectConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
});
${USE}`;

/** FlagKit's polling + batch events entry, built with `factory` (`createDecideClient` or `createInstance`). */
function flagkitPollingEvents(factory: string): string {
  return `
import { createBatchEventProcessor, ${factory}, createPollingConfigManager } from '@flagkit/browser';
const client = ${factory}({
  projectConfigManager: createPollingConfigManager({ sdkKey: 'sdk-key' }),
  eventProcessor: createBatchEventProcessor(),
});
${USE}`;
}

export const IMPORT_SETS: readonly ImportSet[] = [
  {
    id: 'static-decide',
    title: 'static datafile + decide',
    flagkit: `
import { createDecideClient } from '@flagkit/browser';
const client = createDecideClient({ datafile: globalThis.DATAFILE });
${USE}`,
    reference: REFERENCE_STATIC,
    gzipBudget: 8_000,
    gzipCeiling: 18_500,
  },
  {
    id: 'static-decide-full-api',
    title: 'static datafile + decide, full Optimizely API (createInstance)',
    flagkit: `
import { createInstance } from '@flagkit/browser';
const client = createInstance({ datafile: globalThis.DATAFILE });
${USE}`,
    reference: REFERENCE_STATIC,
    gzipCeiling: 22_450,
  },
  {
    id: 'polling-events',
    title: '+ polling + batch events',
    flagkit: flagkitPollingEvents('createDecideClient'),
    reference: REFERENCE_POLLING_EVENTS,
    gzipBudget: 15_000,
    gzipCeiling: 27_150,
  },
  {
    id: 'polling-events-full-api',
    title: '+ polling + batch events, full Optimizely API (createInstance)',
    flagkit: flagkitPollingEvents('createInstance'),
    reference: REFERENCE_POLLING_EVENTS,
    gzipCeiling: 29_750,
  },
  {
    id: 'odp-vuid',
    title: '+ ODP + VUID + logger',
    flagkit: `
import { createBatchEventProcessor, createDecideClient, createLogger, createOdpManager, createPollingConfigManager } from '@flagkit/browser';
const client = createDecideClient({
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
    gzipCeiling: 31_250,
  },
];
