/** The agent's version, written in by tsup and vitest from package.json. */
declare const __AGENT_VERSION__: string;
