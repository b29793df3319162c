import { OptimizelyDecideOption, type UserAttributes } from '@flagkit/node';
import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { userBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';
import { createUser, queryKeys } from './decide-route';

/** One item of the legacy activate answer (Agent's `Decision`). */
interface ActivateOut {
  userId: string;
  experimentKey: string;
  featureKey: string;
  variationKey: string;
  type: 'experiment' | 'feature';
  variables?: Record<string, unknown>;
  enabled: boolean;
  error?: string;
}

/**
 * `POST /v1/activate` (legacy): decisions for `experimentKey`s and `featureKey`s (repeatable), or for
 * every experiment / feature with `type=experiment|feature`. Always an array; an unknown key gives
 * an item with an `error`, never a failed request. `disableTracking=true` sends no impressions;
 * `enabled=true|false` keeps only items with that `enabled`.
 */
export function registerActivateRoute(app: FastifyInstance): void {
  app.post('/v1/activate', { schema: { body: userBodySchema } }, async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const query = request.query as Record<string, unknown>;
    const body = objectBody(request.body);
    const userId = typeof body.userId === 'string' ? body.userId : '';
    const attributes = (body.userAttributes as Record<string, unknown> | null | undefined) ?? {};
    const experimentKeys = queryKeys(query.experimentKey);
    const featureKeys = queryKeys(query.featureKey);
    const config = entry.client.getProjectConfig();
    for (const type of queryKeys(query.type)) {
      if (type === 'experiment') experimentKeys.push(...(config?.experimentsByKey.keys() ?? []));
      else if (type === 'feature') featureKeys.push(...(config?.flagsByKey.keys() ?? []));
      else throw new AgentHttpError(400, `type "${type}" not supported`);
    }
    const disableTracking = query.disableTracking === 'true';
    const enabledFilter = query.enabled === 'true' ? true : query.enabled === 'false' ? false : undefined;
    const out: ActivateOut[] = [];
    const keep = (item: ActivateOut) => {
      if (enabledFilter === undefined || item.enabled === enabledFilter) out.push(item);
    };

    for (const key of experimentKeys) {
      const item: ActivateOut = {
        userId,
        experimentKey: key,
        featureKey: '',
        variationKey: '',
        type: 'experiment',
        enabled: false,
      };
      const experiment = config?.experimentsByKey.get(key);
      if (!experiment || experiment.isRollout) {
        item.error = 'experimentKey not found';
      } else {
        const client = entry.client;
        const variation = disableTracking
          ? client.getVariation(key, userId, attributes as UserAttributes)
          : client.activate(key, userId, attributes as UserAttributes);
        item.variationKey = variation ?? '';
        item.enabled = variation !== null;
      }
      keep(item);
    }

    if (featureKeys.length > 0) {
      const user = createUser(entry, userId, attributes);
      const options = disableTracking ? [OptimizelyDecideOption.DISABLE_DECISION_EVENT] : [];
      for (const key of featureKeys) {
        const item: ActivateOut = {
          userId,
          experimentKey: '',
          featureKey: key,
          variationKey: '',
          type: 'feature',
          enabled: false,
        };
        if (!config?.flagsByKey.has(key)) {
          item.error = 'featureKey not found';
        } else {
          const decision = user.decide(key, options);
          item.experimentKey = decision.ruleKey ?? '';
          item.variationKey = decision.variationKey ?? '';
          item.enabled = decision.enabled;
          if (Object.keys(decision.variables).length > 0) item.variables = decision.variables;
        }
        keep(item);
      }
    }
    return sendJson(reply, 200, out);
  });
}
