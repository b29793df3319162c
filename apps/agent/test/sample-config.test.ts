import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/agent-config';
import { loadConfig } from '../src/config/load-config';

describe('the sample config.yaml', () => {
  it('loads, and says what the defaults are', () => {
    const file = resolve(dirname(fileURLToPath(import.meta.url)), '../config.yaml');
    expect(loadConfig({ file, env: {} })).toEqual({
      ...DEFAULT_CONFIG,
      client: { ...DEFAULT_CONFIG.client, eventURL: 'https://logx.optimizely.com/v1/events' },
    });
  });
});
