import { describe, expect, it } from 'vitest';
import { datafile } from '../../test-support/datafile-builder';
import { ConfigError } from '../errors/config-error';
import type { Logger, LogLevel } from '../ports/logger';
import { createConfigAnnouncer } from './config-announcer';
import { createProjectConfig } from './create-project-config';
import type { ProjectConfig } from './project-config';

function recordingLogger(): Logger & { lines: [LogLevel, string][] } {
  const lines: [LogLevel, string][] = [];
  return { lines, isEnabled: () => true, log: (level, message) => void lines.push([level, message]) };
}

const config = (revision: string) => createProjectConfig(datafile({ revision }));

describe('createConfigAnnouncer', () => {
  it('resolves ready with the first config and calls every listener with each one', async () => {
    const announcer = createConfigAnnouncer(recordingLogger());
    const seen: string[] = [];
    announcer.onUpdate((c) => seen.push(`a${c.revision}`));
    const removeB = announcer.onUpdate((c) => seen.push(`b${c.revision}`));
    announcer.announce(config('1'));
    await expect(announcer.ready).resolves.toBeUndefined();
    removeB();
    announcer.announce(config('2'));
    expect(seen).toEqual(['a1', 'b1', 'a2']);
    expect(announcer.config?.revision).toBe('2');
    expect(announcer.settled).toBe(true);
  });

  it('logs a listener that throws and still calls the others', () => {
    const logger = recordingLogger();
    const announcer = createConfigAnnouncer(logger);
    const seen: ProjectConfig[] = [];
    announcer.onUpdate(() => {
      throw new Error('boom');
    });
    announcer.onUpdate((c) => seen.push(c));
    announcer.announce(config('1'));
    expect(seen).toHaveLength(1);
    expect(logger.lines).toEqual([['error', 'A config update listener threw: boom']]);
  });

  it('rejects ready with the first failure only, and never after a config', async () => {
    const failed = createConfigAnnouncer(recordingLogger());
    failed.fail(new ConfigError('no-datafile', 'first'));
    failed.fail(new ConfigError('stopped', 'second'));
    await expect(failed.ready).rejects.toMatchObject({ reason: 'no-datafile', message: 'first' });

    const ready = createConfigAnnouncer(recordingLogger());
    ready.announce(config('1'));
    ready.fail(new ConfigError('stopped', 'too late'));
    await expect(ready.ready).resolves.toBeUndefined();
  });

  it('forgets its listeners on clearListeners', () => {
    const announcer = createConfigAnnouncer(recordingLogger());
    let calls = 0;
    announcer.onUpdate(() => calls++);
    announcer.clearListeners();
    announcer.announce(config('1'));
    expect(calls).toBe(0);
  });
});
