// The edge entry runs on Cloudflare Workers, Vercel Edge, Deno and browsers alike, so it compiles
// without DOM or Node types. These are the fetch-standard globals it uses, declared with the subset
// of their signatures every such runtime shares.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const __PACKAGE_VERSION__: string;

declare class AbortController {
  readonly signal: unknown;
  abort(reason?: unknown): void;
}

declare class TextDecoder {
  decode(input?: Uint8Array): string;
}
