#!/usr/bin/env node
// Loads the bundled sample datafile and prints every flag's decision for a few users.
// Usage: node src/main.mjs [path/to/datafile.json]
import { readFileSync } from 'node:fs';
import { createInstance } from '@flagkit/core';
import { formatDecisions, SAMPLE_USERS } from './format-decisions.mjs';

const path = process.argv[2] ?? new URL('./sample-datafile.json', import.meta.url);
const client = createInstance({ datafile: readFileSync(path, 'utf8') });

try {
  await client.onReady({ timeout: 5000 });
} catch (error) {
  console.error(`Could not load the datafile: ${error.message}`);
  process.exit(1);
}
console.log(formatDecisions(client, SAMPLE_USERS));
await client.close();
