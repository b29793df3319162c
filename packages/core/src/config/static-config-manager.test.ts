import { describe, expect, it } from 'vitest';
import { datafile as minimalDatafile } from '../../test-support/datafile-builder';
import { ConfigError } from '../errors/config-error';
import { DatafileError } from '../errors/datafile-error';
import type { Logger, LogLevel } from '../ports/logger';
import type { ProjectConfig } from './project-config';
import { createStaticConfigManager } from './static-config-manager';

/** A minimal valid datafile at `revision`. */
function datafile(revision: string): object {
  return minimalDatafile({ revision });
}

function recordingLogger(): Logger & { lines: [LogLevel, string][] } {
  const lines: [LogLevel, string][] = [];
  return { lines, isEnabled: () => true, log: (level, message) => void lines.push([level, message]) };
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => {
      throw new Error('expected onReady() to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('createStaticConfigManager', () => {
  it('parses the datafile at start and becomes ready', async () => {
    const manager = createStaticConfigManager({ datafile: datafile('7') });
    expect(manager.getConfig()).toBeNull();
    manager.start();
    await expect(manager.onReady()).resolves.toBeUndefined();
    expect(manager.getConfig()?.revision).toBe('7');
  });

  it('accepts JSON text', async () => {
    const manager = createStaticConfigManager({ datafile: JSON.stringify(datafile('3')) });
    manager.start();
    await manager.onReady();
    expect(manager.getConfig()?.revision).toBe('3');
  });

  it('announces the config to update listeners once, even if started twice', () => {
    const manager = createStaticConfigManager({ datafile: datafile('1') });
    const seen: ProjectConfig[] = [];
    manager.onUpdate((config) => seen.push(config));
    manager.start();
    manager.start();
    expect(seen.map((c) => c.revision)).toEqual(['1']);
  });

  it('rejects onReady with invalid-datafile for bad JSON, logging at error level', async () => {
    const logger = recordingLogger();
    const manager = createStaticConfigManager({ datafile: '{"version": "4",', logger });
    expect(() => manager.start()).not.toThrow();
    const error = await rejection(manager.onReady());
    expect(error.reason).toBe('invalid-datafile');
    expect(error.code).toBe('INVALID_DATAFILE');
    expect(error.cause).toBeInstanceOf(DatafileError);
    expect(manager.getConfig()).toBeNull();
    expect(logger.lines.some(([level, message]) => level === 'error' && message.includes('invalid'))).toBe(
      true,
    );
  });

  it('rejects onReady with invalid-datafile for an unsupported version', async () => {
    const manager = createStaticConfigManager({ datafile: { ...datafile('1'), version: '1' } });
    manager.start();
    const error = await rejection(manager.onReady());
    expect(error.reason).toBe('invalid-datafile');
    expect(error.cause).toBeInstanceOf(DatafileError);
  });

  it('rejects with no-datafile, logged at error level, when a JavaScript caller passes none', async () => {
    const logger = recordingLogger();
    const manager = createStaticConfigManager({ datafile: undefined as unknown as object, logger });
    manager.start();
    expect((await rejection(manager.onReady())).reason).toBe('no-datafile');
    expect(logger.lines).toEqual([['error', 'No datafile was provided.']]);
  });

  it('does not log a stop, and a start after it announces nothing', async () => {
    const logger = recordingLogger();
    const manager = createStaticConfigManager({ datafile: datafile('1'), logger });
    const seen: string[] = [];
    manager.onUpdate((config) => seen.push(config.revision));
    await manager.stop();
    manager.start();
    expect((await rejection(manager.onReady())).reason).toBe('stopped');
    expect(seen).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('rejects with stopped when stopped before start, and start is then a no-op', async () => {
    const manager = createStaticConfigManager({ datafile: datafile('1') });
    await manager.stop();
    await manager.stop();
    manager.start();
    expect((await rejection(manager.onReady())).reason).toBe('stopped');
    expect(manager.getConfig()).toBeNull();
  });

  it('stays ready and keeps its config after stop', async () => {
    const manager = createStaticConfigManager({ datafile: datafile('1') });
    manager.start();
    await manager.stop();
    await expect(manager.onReady()).resolves.toBeUndefined();
    expect(manager.getConfig()?.revision).toBe('1');
  });

  it('catches and logs a throwing listener, and still calls the others', () => {
    const logger = recordingLogger();
    const manager = createStaticConfigManager({ datafile: datafile('1'), logger });
    const calls: string[] = [];
    manager.onUpdate(() => {
      throw new Error('boom');
    });
    manager.onUpdate((config) => calls.push(config.revision));
    const unsubscribe = manager.onUpdate(() => calls.push('removed'));
    unsubscribe();
    manager.start();
    expect(calls).toEqual(['1']);
    expect(logger.lines.some(([level, message]) => level === 'error' && message.includes('boom'))).toBe(true);
  });
});
