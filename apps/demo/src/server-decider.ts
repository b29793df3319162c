import type { ServerDecideRequest, ServerDecideResponse } from './shared/api';

/**
 * Who computes the server-side column of the page: `@flagkit/node` in the demo process
 * (`ServerDecisions`), or a running FlagKit agent over Agent's HTTP API (`AgentDecisions`).
 */
export interface ServerDecider {
  /** Shown in the page header, e.g. "@flagkit/node" or "agent at http://…". */
  readonly label: string;
  ready(timeoutMs: number): Promise<void>;
  decide(request: ServerDecideRequest): ServerDecideResponse | Promise<ServerDecideResponse>;
  close(): Promise<void>;
}
