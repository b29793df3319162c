import type { HttpResponse, OdpIntegration, Requester } from '@flagkit/core';

/** What the ODP parts need to talk to ODP: a usable host and key, and the segments to ask about. */
export interface OdpConfig {
  /** The ODP API host, e.g. `https://api.zaius.com`, without a trailing slash. */
  readonly apiHost: string;
  /** The ODP public API key, sent as `x-api-key`. */
  readonly apiKey: string;
  /** Every segment named by a `qualified` audience condition: the GraphQL `subset`. */
  readonly segmentsToCheck: readonly string[];
}

// How a call refused for want of a usable config starts its log line (`…: <call> failed.`).
export const NO_ODP_CONFIG = 'ODP config is not available';
export const ODP_NOT_INTEGRATED = 'ODP is not integrated';

/** POSTs a JSON `body` to one of ODP's APIs (`/v3/events`, `/v3/graphql`) with the public key. */
export function postToOdp(
  requester: Requester,
  config: OdpConfig,
  path: string,
  body: string,
  timeoutMs: number,
): Promise<HttpResponse> {
  return requester.request({
    url: config.apiHost + path,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-api-key': config.apiKey },
    body,
    timeoutMs,
  });
}

/**
 * The usable ODP config of a datafile's integration, or null when ODP is not integrated. An `odp`
 * integration without a host or a public key cannot be called, so it counts as not integrated.
 */
export function toOdpConfig(integration: OdpIntegration): OdpConfig | null {
  if (!integration.integrated || !integration.apiHost || !integration.apiKey) return null;
  return {
    apiHost: integration.apiHost.replace(/\/+$/, ''),
    apiKey: integration.apiKey,
    segmentsToCheck: integration.segmentsToCheck,
  };
}
