/**
 * Where and with what a benchmark ran, recorded alongside the numbers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchOptions } from './options';

/** The run's context, included in the JSON report and printed as the table's header. */
export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cpuCount: number;
  readonly flagkitVersion: string;
  readonly referenceVersion: string;
  readonly options: BenchOptions;
}

/**
 * The version of an installed package, read from its package.json next to its resolved entry
 * point (the reference SDK does not export its package.json).
 */
function installedVersion(packageName: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(packageName));
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (
        typeof manifest === 'object' &&
        manifest !== null &&
        'name' in manifest &&
        manifest.name === packageName
      ) {
        return 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : 'unknown';
      }
    } catch {
      // No package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Describes the current process. */
export function currentEnvironment(options: BenchOptions): Environment {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    flagkitVersion: installedVersion('@flagkit/core'),
    referenceVersion: installedVersion('@optimizely/optimizely-sdk'),
    options,
  };
}
