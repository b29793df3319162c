import {
  InputError,
  type OptimizelyDecideOption,
  type OptimizelyDecision,
  type OptimizelyDecisions,
  type OptimizelyUserContext,
  type ProjectConfig,
  type UserAttributes,
} from '@flagkit/node';
import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { decideBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

/** Decide options Agent accepts; any other string is `invalid option: X`. */
const DECIDE_OPTIONS = new Set([
  'DISABLE_DECISION_EVENT',
  'ENABLED_FLAGS_ONLY',
  'IGNORE_USER_PROFILE_SERVICE',
  'INCLUDE_REASONS',
  'EXCLUDE_VARIABLES',
  'IGNORE_CMAB_CACHE',
  'RESET_CMAB_CACHE',
  'INVALIDATE_USER_CMAB_CACHE',
]);
const SEGMENT_OPTIONS = new Set(['IGNORE_CACHE', 'RESET_CACHE']);
const NO_OPTIONS: readonly OptimizelyDecideOption[] = [];

/** One decision as Agent writes it (`DecideOut`). */
export interface DecideOut {
  variationKey: string;
  enabled: boolean;
  ruleKey: string;
  flagKey: string;
  userContext: { userId: string; attributes: Record<string, unknown> };
  reasons: string[];
  variables?: Record<string, unknown>;
  isEveryoneElseVariation: boolean;
}

/** `POST /v1/decide?keys=…`: one key gives an object, none or several an array. */
export function registerDecideRoute(app: FastifyInstance): void {
  app.post('/v1/decide', { schema: { body: decideBodySchema } }, async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const body = objectBody(request.body);
    const userId = body.userId;
    if (typeof userId !== 'string' || userId === '') {
      throw new AgentHttpError(400, 'missing "userId" in request payload');
    }
    const options = decideOptions(body.decideOptions);
    const attributes = (body.userAttributes as Record<string, unknown> | null | undefined) ?? {};
    const user = createUser(entry, userId, attributes);
    applyForcedDecisions(user, body.forcedDecisions);
    if (body.fetchSegments === true) {
      const segmentOptions = ((body.fetchSegmentsOptions as string[] | null) ?? []).filter((o) =>
        SEGMENT_OPTIONS.has(o),
      ) as ('IGNORE_CACHE' | 'RESET_CACHE')[];
      if (!(await user.fetchQualifiedSegments(segmentOptions))) {
        throw new AgentHttpError(500, 'failed to fetch qualified segments');
      }
    }

    const config = entry.client.getProjectConfig();
    const keys = queryKeys((request.query as Record<string, unknown>).keys);
    // Always the async methods, as Agent's Go SDK decides: they consult the async user profile
    // service and ask the prediction service for CMAB rules (sync decide skips those rules).
    if (keys.length === 1) {
      const decision = await user.decideAsync(keys[0] as string, options);
      return sendJson(reply, 200, decideOut(decision, userId, attributes, config));
    }
    const decisions: OptimizelyDecisions =
      keys.length === 0 ? await user.decideAllAsync(options) : await user.decideForKeysAsync(keys, options);
    const out: DecideOut[] = [];
    for (const key in decisions) {
      out.push(decideOut(decisions[key] as OptimizelyDecision, userId, attributes, config));
    }
    return sendJson(reply, 200, out);
  });
}

/** The `keys` query parameter: repeated (`keys=a&keys=b`) or once. */
export function queryKeys(keys: unknown): string[] {
  if (keys === undefined) return [];
  if (Array.isArray(keys)) return keys.filter((k): k is string => typeof k === 'string');
  return typeof keys === 'string' ? [keys] : [];
}

function decideOptions(given: unknown): readonly OptimizelyDecideOption[] {
  if (!Array.isArray(given) || given.length === 0) return NO_OPTIONS;
  for (const option of given) {
    if (!DECIDE_OPTIONS.has(option as string)) throw new AgentHttpError(400, `invalid option: ${option}`);
  }
  return given as OptimizelyDecideOption[];
}

/** A user context; attributes the SDK refuses are a 400 with its reason. */
export function createUser(
  entry: AgentClient,
  userId: string,
  attributes: Record<string, unknown>,
): OptimizelyUserContext {
  try {
    return entry.client.createUserContext(userId, attributes as UserAttributes);
  } catch (error) {
    if (error instanceof InputError) throw new AgentHttpError(400, error.message);
    throw error;
  }
}

function applyForcedDecisions(user: OptimizelyUserContext, forced: unknown): void {
  if (!Array.isArray(forced)) return;
  for (const item of forced as { flagKey?: string; ruleKey?: string; variationKey?: string }[]) {
    if (typeof item.flagKey !== 'string' || typeof item.variationKey !== 'string') continue;
    user.setForcedDecision(
      item.ruleKey ? { flagKey: item.flagKey, ruleKey: item.ruleKey } : { flagKey: item.flagKey },
      { variationKey: item.variationKey },
    );
  }
}

function decideOut(
  decision: OptimizelyDecision,
  userId: string,
  attributes: Record<string, unknown>,
  config: ProjectConfig | null,
): DecideOut {
  const ruleKey = decision.ruleKey ?? '';
  const out: DecideOut = {
    variationKey: decision.variationKey ?? '',
    enabled: decision.enabled,
    ruleKey,
    flagKey: decision.flagKey,
    userContext: { userId, attributes },
    reasons: decision.reasons,
    isEveryoneElseVariation: isEveryoneElseVariation(config, decision.flagKey, ruleKey),
  };
  // Go omits an empty variables map.
  for (const _ in decision.variables) {
    out.variables = decision.variables;
    break;
  }
  return out;
}

/** Agent's test: the rule is a delivery rule whose key equals its id and starts with `default-`. */
function isEveryoneElseVariation(config: ProjectConfig | null, flagKey: string, ruleKey: string): boolean {
  if (config === null || ruleKey === '') return false;
  const rules = config.flagsByKey.get(flagKey)?.rolloutRules;
  if (!rules) return false;
  for (const rule of rules) {
    if (rule.key === ruleKey) return rule.id === rule.key && rule.key.startsWith('default-');
  }
  return false;
}
