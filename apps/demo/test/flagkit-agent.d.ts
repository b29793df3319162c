// apps/agent is bundled without declarations; this is the part of its API the demo's test uses.
declare module '@flagkit/agent' {
  export function loadConfig(options: { env: Record<string, string>; overrides: unknown }): unknown;
  export function createAgent(options: { config: unknown }): {
    start(): Promise<{ api: string }>;
    close(): Promise<void>;
  };
}
