import { describe, expect, it } from 'vitest';
import { noopLogger } from '../logging/create-logger';
import { NotificationCenter } from './notification-center';

describe('NotificationCenter.hasListeners', () => {
  it('follows adds, removals and clears of every type', () => {
    const center = new NotificationCenter(noopLogger);
    expect(center.hasListeners('DECISION')).toBe(false);
    const decision = center.addNotificationListener('DECISION', () => {});
    const track = center.addNotificationListener('TRACK', () => {});
    expect(center.hasListeners('DECISION')).toBe(true);
    expect(center.hasListeners('TRACK')).toBe(true);
    expect(center.hasListeners('ACTIVATE')).toBe(false);

    expect(center.removeNotificationListener(decision)).toBe(true);
    expect(center.removeNotificationListener(decision)).toBe(false);
    expect(center.hasListeners('DECISION')).toBe(false);
    expect(center.hasListeners('TRACK')).toBe(true);

    center.addNotificationListener('DECISION', () => {});
    center.clearNotificationListeners('TRACK');
    expect(center.hasListeners('TRACK')).toBe(false);
    expect(center.hasListeners('DECISION')).toBe(true);
    expect(center.removeNotificationListener(track)).toBe(false);

    center.clearAllNotificationListeners();
    expect(center.hasListeners('DECISION')).toBe(false);
    // Counting restarts cleanly after a clear.
    center.addNotificationListener('ACTIVATE', () => {});
    expect(center.hasListeners('ACTIVATE')).toBe(true);
  });

  it('ignores unknown types and non-function listeners', () => {
    const center = new NotificationCenter(noopLogger);
    expect(center.addNotificationListener('NOPE' as 'TRACK', () => {})).toBe(-1);
    expect(center.addNotificationListener('TRACK', 'x' as unknown as () => void)).toBe(-1);
    expect(center.hasListeners('TRACK')).toBe(false);
  });
});
