// The server side of the demo: @flagkit/node polling the same CDN stand-in, deciding for the
// page's user so the page can show both decisions side by side.

import { createInstance, type NodeClient, OptimizelyDecideOption } from '@flagkit/node';
import type { ServerDecider } from './server-decider';
import type { DecisionView, ServerDecideRequest, ServerDecideResponse } from './shared/api';

export class ServerDecisions implements ServerDecider {
  readonly label = '@flagkit/node';
  readonly client: NodeClient;

  constructor(sdkKey: string, urlTemplate: string, pollIntervalMs: number) {
    // Decisions only: the page sends the events, so the feed shows one stream.
    this.client = createInstance({
      sdkKey,
      polling: { urlTemplate, updateIntervalMs: pollIntervalMs, initialBackoffMs: 200 },
      eventProcessor: false,
      odpManager: false,
      logger: 'none',
    });
  }

  ready(timeoutMs: number): Promise<void> {
    return this.client.onReady({ timeout: timeoutMs });
  }

  get revision(): string | null {
    return this.client.getProjectConfig()?.revision ?? null;
  }

  /** Decides every flag for the request's user; throws the SDK's InputError for a bad user. */
  decide(request: ServerDecideRequest): ServerDecideResponse {
    const user = this.client.createUserContext(request.userId, { ...request.attributes });
    for (const [flagKey, variationKey] of Object.entries(request.forcedDecisions))
      user.setForcedDecision({ flagKey }, { variationKey });
    user.qualifiedSegments = request.segments ? [...request.segments] : null;
    const decisions: Record<string, DecisionView> = {};
    for (const [flagKey, d] of Object.entries(
      user.decideAll([OptimizelyDecideOption.DISABLE_DECISION_EVENT]),
    )) {
      decisions[flagKey] = {
        enabled: d.enabled,
        variationKey: d.variationKey,
        ruleKey: d.ruleKey,
        variables: d.variables,
      };
    }
    return { revision: this.revision, decisions };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
