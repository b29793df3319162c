// This package targets every JavaScript runtime, so it compiles without DOM or Node types. These
// are the host timer functions it uses, with the subset of their signatures all hosts share.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
