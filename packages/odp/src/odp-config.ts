import type { OdpIntegration } from '@flagkit/core';

/** What the ODP parts need to talk to ODP: a usable host and key, and the segments to ask about. */
export interface OdpConfig {
  /** The ODP API host, e.g. `https://api.zaius.com`, without a trailing slash. */
  readonly apiHost: string;
  /** The ODP public API key, sent as `x-api-key`. */
  readonly apiKey: string;
  /** Every segment named by a `qualified` audience condition: the GraphQL `subset`. */
  readonly segmentsToCheck: readonly string[];
}

/** The headers of every ODP API request. */
export function odpHeaders(config: OdpConfig): Record<string, string> {
  return { 'Content-Type': 'application/json', 'x-api-key': config.apiKey };
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

/**
 * Whether two configs (null: not integrated; undefined: none yet) would make the same requests.
 * Both come from {@link toOdpConfig}, so equal configs serialise alike, keys in the same order.
 */
export function sameOdpConfig(a: OdpConfig | null | undefined, b: OdpConfig | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
