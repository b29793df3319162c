/**
 * Reading V8 CPU profiles: the functions with the most self time, with their location mapped
 * back to TypeScript sources through source maps when node runs with `--enable-source-maps`.
 */
import type { Profiler } from 'node:inspector';
import { findSourceMap, type SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One function's share of a profile. */
export interface HotSpot {
  readonly functionName: string;
  /** `file:line` (1-based), relative to the root given to {@link hotSpots}; mapped to the source when possible. */
  readonly location: string;
  readonly selfMs: number;
  /** Self time as a percentage of all sampled time. */
  readonly selfPercent: number;
}

/** A profiled function's position (0-based line and column). */
type CallFrame = Profiler.ProfileNode['callFrame'];

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapFor(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    let map: SourceMap | undefined;
    try {
      map = findSourceMap(url) ?? (url.startsWith('file:') ? findSourceMap(fileURLToPath(url)) : undefined);
    } catch {
      map = undefined;
    }
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

function displayPath(fileOrUrl: string, root: string): string {
  const path = fileOrUrl.startsWith('file:') ? fileURLToPath(fileOrUrl) : fileOrUrl;
  return path.startsWith('/') ? relative(root, path) : path;
}

/** `file:line` for a call frame (0-based line and column), through the file's source map if any. */
function locate(frame: CallFrame, root: string): string {
  if (!frame.url) return '(native)';
  const map = sourceMapFor(frame.url);
  if (map) {
    const entry: Partial<{ originalSource: string; originalLine: number }> = map.findEntry(
      frame.lineNumber,
      frame.columnNumber,
    );
    if (entry.originalSource !== undefined && entry.originalLine !== undefined) {
      return `${displayPath(entry.originalSource, root)}:${entry.originalLine + 1}`;
    }
  }
  return `${displayPath(frame.url, root)}:${frame.lineNumber + 1}`;
}

/**
 * The `top` functions by self time. Nodes of the same function (same name and start position)
 * are merged, whatever their callers.
 */
export function hotSpots(profile: Profiler.Profile, top: number, root: string): HotSpot[] {
  const totalSamples = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalSamples > 0 ? totalMs / totalSamples : 0;
  const byFunction = new Map<string, { frame: CallFrame; hits: number }>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
    const entry = byFunction.get(key) ?? { frame, hits: 0 };
    entry.hits += node.hitCount ?? 0;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map(({ frame, hits }) => ({
      functionName: frame.functionName || '(anonymous)',
      location: locate(frame, root),
      selfMs: hits * msPerSample,
      selfPercent: totalSamples > 0 ? (100 * hits) / totalSamples : 0,
    }));
}
