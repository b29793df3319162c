// This package targets every JavaScript runtime, so it compiles without DOM or Node types. These
// are the few host functions it uses, with the subset of their signatures that all hosts share.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const __PACKAGE_VERSION__: string;
