import type { UserProfile, UserProfileServiceAsync } from '@flagkit/node';

export interface InMemoryUserProfileServiceOptions {
  /** Most profiles kept; 0 keeps every one. */
  readonly capacity?: number;
  /** Which profile a full store drops: the oldest (`fifo`, default) or the newest (`lifo`). */
  readonly storageStrategy?: 'fifo' | 'lifo';
}

/** Agent's `in-memory` user profile service: profiles by user id, optionally bounded. */
export function createInMemoryUserProfileService(
  options: InMemoryUserProfileServiceOptions = {},
): UserProfileServiceAsync {
  const capacity = options.capacity ?? 0;
  const lifo = options.storageStrategy === 'lifo';
  const profiles = new Map<string, UserProfile>();
  return {
    async lookup(userId) {
      return profiles.get(userId);
    },
    async save(profile) {
      if (!profiles.has(profile.user_id) && capacity > 0 && profiles.size >= capacity) {
        const keys = [...profiles.keys()];
        const victim = lifo ? keys[keys.length - 1] : keys[0];
        if (victim !== undefined) profiles.delete(victim);
      }
      profiles.set(profile.user_id, profile);
    },
  };
}
