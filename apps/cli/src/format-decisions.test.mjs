import { readFileSync } from 'node:fs';
import { createInstance } from '@flagkit/core';
import { describe, expect, it } from 'vitest';
import { formatDecisions, SAMPLE_USERS } from './format-decisions.mjs';

const datafile = readFileSync(new URL('./sample-datafile.json', import.meta.url), 'utf8');

describe('the sample CLI', () => {
  it('prints one row per user and flag, with the whitelisted user in the treatment and a held-out user off', async () => {
    const client = createInstance({ datafile });
    await client.onReady();
    const lines = formatDecisions(client, SAMPLE_USERS).split('\n');
    expect(lines).toHaveLength(1 + SAMPLE_USERS.length * 2);
    const alice = lines.find((line) => line.startsWith('qa-tester') && line.includes('checkout_button'));
    expect(alice).toMatch(/true\s+treatment\s+checkout_test\s+\{"label":"Buy now","steps":2\}/);
    const heldOut = lines.find((line) => line.startsWith('qa-alice') && line.includes('checkout_button'));
    expect(heldOut).toMatch(/false\s+ho_off\s+global_holdout/);
    const carol = lines.find((line) => line.startsWith('carol') && line.includes('checkout_button'));
    expect(carol).toMatch(/false\s+off\s+default-rollout-91001/);
  });
});
