/**
 * Agent's host check: the host a request names (`X-Forwarded-Host`, then `Forwarded: host=`, then
 * `Host`, port removed) must be listed; a leading dot matches subdomains, `"."` allows any host.
 * Returns a matcher, or null when every host is allowed.
 */
export function createHostMatcher(allowed: readonly string[]): ((host: string) => boolean) | null {
  if (allowed.includes('.')) return null;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allowed) {
    const host = entry.toLowerCase();
    if (host.startsWith('.')) suffixes.push(host);
    else exact.add(host);
  }
  return (host) => {
    const name = host.toLowerCase();
    if (exact.has(name)) return true;
    for (const suffix of suffixes) if (name.endsWith(suffix) || `.${name}` === suffix) return true;
    return false;
  };
}

/** The host a request names, without its port. */
export function requestHost(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const forwardedHost = first(headers['x-forwarded-host']);
  let host = forwardedHost?.split(',')[0]?.trim();
  if (!host) {
    const forwarded = first(headers.forwarded);
    host = forwarded ? /(?:^|[;,\s])host="?([^";,\s]+)"?/i.exec(forwarded)?.[1] : undefined;
  }
  if (!host) host = first(headers.host) ?? '';
  return stripPort(host);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.indexOf(':') !== colon ? host : host.slice(0, colon);
}
