// This package targets every JavaScript runtime, so it compiles without DOM or Node types. These
// are the host timer functions it uses, with the subset of their signatures all hosts share.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;

// Every host FlagKit runs on (Node, browsers, workers, edge runtimes) has TextEncoder; this is the
// part of it the byte serializer uses.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
