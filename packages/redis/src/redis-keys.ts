import type { CommandRunner } from './command-runner';

/** Escapes glob characters so a key prefix matches only itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Visits every key matching `pattern` with SCAN (non-blocking for the server, unlike KEYS), one
 * batch at a time. Rejects when a command fails.
 */
export async function scanKeys(
  runner: CommandRunner,
  pattern: string,
  onBatch: (keys: string[]) => void | Promise<void>,
): Promise<void> {
  let cursor = '0';
  do {
    const reply = await runner.run(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '500']);
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
      throw new Error('unexpected SCAN reply');
    }
    cursor = String(reply[0]);
    const keys = (reply[1] as unknown[]).filter((key): key is string => typeof key === 'string');
    if (keys.length > 0) await onBatch(keys);
  } while (cursor !== '0');
}
