// Core targets every JavaScript runtime, so it compiles without DOM or Node types. These are the
// few host functions it uses, declared with the subset of their signatures that all hosts share.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const __PACKAGE_VERSION__: string;
declare const crypto:
  | { randomUUID?: () => string; getRandomValues?: <T extends Uint8Array>(array: T) => T }
  | undefined;
declare const console: {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
