/** The `X-Optimizely-SDK-Key` header value split into the SDK key and the optional access token. */
export interface SdkKeyHeader {
  /** The whole header value; clients are cached by it. */
  readonly value: string;
  readonly sdkKey: string;
  readonly datafileAccessToken: string | undefined;
}

/** Splits `sdkKey` or `sdkKey:datafileAccessToken`. */
export function parseSdkKeyHeader(value: string): SdkKeyHeader {
  const colon = value.indexOf(':');
  if (colon === -1) return { value, sdkKey: value, datafileAccessToken: undefined };
  return { value, sdkKey: value.slice(0, colon), datafileAccessToken: value.slice(colon + 1) };
}
