// The server column through a FlagKit agent (apps/agent) instead of an in-process SDK: the same
// request the page makes, sent to Agent's POST /v1/decide, so a person can see the agent agree.

import type { ServerDecider } from './server-decider';
import type { DecisionView, ServerDecideRequest, ServerDecideResponse } from './shared/api';

interface AgentDecision {
  readonly flagKey: string;
  readonly enabled: boolean;
  readonly variationKey: string | null;
  readonly ruleKey: string | null;
  readonly variables: Record<string, unknown>;
}

export class AgentDecisions implements ServerDecider {
  readonly label: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly agentUrl: string,
    sdkKey: string,
  ) {
    this.label = `agent at ${agentUrl}`;
    this.headers = { 'content-type': 'application/json', 'x-optimizely-sdk-key': sdkKey };
  }

  /** Waits until the agent serves this SDK key's config (it fetches the datafile on first use). */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.agentUrl}/v1/config`, { headers: this.headers });
        if (response.ok) return;
        last = `HTTP ${response.status}: ${(await response.text()).trim()}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`The agent at ${this.agentUrl} did not serve the demo's config (${last}).`);
  }

  async decide(request: ServerDecideRequest): Promise<ServerDecideResponse> {
    const body = {
      userId: request.userId,
      userAttributes: request.attributes,
      decideOptions: ['DISABLE_DECISION_EVENT'],
      forcedDecisions: Object.entries(request.forcedDecisions).map(([flagKey, variationKey]) => ({
        flagKey,
        variationKey,
      })),
      // The agent asks the same ODP stand-in for the user's segments the page fetched.
      ...(request.segments ? { fetchSegments: true } : {}),
    };
    const [decided, config] = await Promise.all([
      fetch(`${this.agentUrl}/v1/decide`, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(body),
      }),
      fetch(`${this.agentUrl}/v1/config`, { headers: this.headers }),
    ]);
    if (!decided.ok)
      throw new Error(`The agent answered ${decided.status}: ${(await decided.text()).trim()}`);
    const list = (await decided.json()) as AgentDecision[] | AgentDecision;
    const revision = config.ok ? (((await config.json()) as { revision?: string }).revision ?? null) : null;
    const decisions: Record<string, DecisionView> = {};
    for (const d of Array.isArray(list) ? list : [list]) {
      decisions[d.flagKey] = {
        enabled: d.enabled,
        // Agent (Go) writes "" where the SDKs have null: no variation, no rule.
        variationKey: d.variationKey || null,
        ruleKey: d.ruleKey || null,
        variables: d.variables as DecisionView['variables'],
      };
    }
    return { revision, decisions };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
