/**
 * The two SDKs under test, behind the small structural interface the scenarios use. Both real
 * clients satisfy the interface as they are, so the hot loops call each SDK directly, with no
 * wrapper in between.
 */
import { createInstance as createFlagKitInstance } from '@flagkit/core';
import type { UserAttributes } from '@optimizely/optimizely-sdk';
import {
  createInstance as createReferenceInstance,
  createStaticProjectConfigManager,
} from '@optimizely/optimizely-sdk';
import type { Side } from './measure';

/**
 * User attributes as both SDKs accept them: the reference's declared type, which FlagKit's
 * `Readonly<Record<string, unknown>>` also accepts.
 */
export type BenchAttributes = UserAttributes;

/** A user as the scenarios use it. */
export interface BenchUser {
  readonly userId: string;
  readonly attributes: BenchAttributes;
  readonly segments: string[];
}

/** The part of a decision the benchmark reads. */
export interface BenchDecision {
  readonly enabled: boolean;
  readonly variationKey: string | null;
  readonly ruleKey: string | null;
  readonly flagKey: string;
}

/** The part of a user context the benchmark uses. */
export interface BenchUserContext {
  qualifiedSegments: string[] | null;
  decide(key: string): BenchDecision;
  decideAll(): Readonly<Record<string, BenchDecision>>;
}

/** The part of a client the benchmark uses. */
export interface BenchClient {
  createUserContext(userId: string, attributes: BenchAttributes): BenchUserContext | null;
  onReady(): Promise<unknown>;
  close(): Promise<unknown>;
}

/**
 * Creates a client of `side` for the datafile JSON text, as an application would: FlagKit with
 * `createInstance({ datafile })`, the reference with a static project config manager. Neither
 * has an event processor, ODP manager or logger. Call `onReady()` before deciding.
 */
export type ClientFactory = (datafileText: string) => BenchClient;

/** FlagKit: `createInstance({ datafile })`. */
export const createFlagKitClient: ClientFactory = (datafileText) =>
  createFlagKitInstance({ datafile: datafileText });

/** The official SDK: `createInstance({ projectConfigManager: createStaticProjectConfigManager(...) })`. */
export const createReferenceClient: ClientFactory = (datafileText) =>
  createReferenceInstance({
    projectConfigManager: createStaticProjectConfigManager({ datafile: datafileText }),
  });

/** The factory of each side. */
export const CLIENT_FACTORIES: Readonly<Record<Side, ClientFactory>> = {
  flagkit: createFlagKitClient,
  reference: createReferenceClient,
};

/** Creates a client of `side` and waits until it is ready. */
export async function readyClient(side: Side, datafileText: string): Promise<BenchClient> {
  const client = CLIENT_FACTORIES[side](datafileText);
  await client.onReady();
  return client;
}

/** Creates a user context with the user's segments set, or throws when the SDK refuses it. */
export function userContextFor(client: BenchClient, user: BenchUser): BenchUserContext {
  const context = client.createUserContext(user.userId, user.attributes);
  if (!context) throw new Error(`could not create a user context for ${JSON.stringify(user.userId)}`);
  context.qualifiedSegments = user.segments;
  return context;
}
