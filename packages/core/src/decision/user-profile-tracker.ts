import type { ExperimentBucketMap, UserProfile } from '../ports/user-profile-service';

/**
 * The sticky-bucketing profile of one decide call: what the user profile service returned,
 * overlaid by the `$opt_experiment_bucket_map` attribute, plus the bucketings made during the call.
 */
export class UserProfileTracker {
  private readonly map: Map<string, string>;
  changed = false;

  constructor(stored: UserProfile | null | undefined, fromAttribute: unknown) {
    this.map = new Map();
    addEntries(this.map, stored?.experiment_bucket_map);
    addEntries(this.map, fromAttribute);
  }

  /** A copy to decide with when the bucketings must not be kept (CMAB's prediction rounds). */
  copy(): UserProfileTracker {
    const copy = new UserProfileTracker(null, null);
    for (const [experimentId, variationId] of this.map) copy.map.set(experimentId, variationId);
    return copy;
  }

  /** The stored variation id for an experiment, if any. */
  variationIdFor(experimentId: string): string | undefined {
    return this.map.get(experimentId);
  }

  record(experimentId: string, variationId: string): void {
    this.map.set(experimentId, variationId);
    this.changed = true;
  }

  toProfile(userId: string): UserProfile {
    const experiment_bucket_map: ExperimentBucketMap = {};
    for (const [experimentId, variationId] of this.map) {
      Object.defineProperty(experiment_bucket_map, experimentId, {
        value: { variation_id: variationId },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { user_id: userId, experiment_bucket_map };
  }
}

function addEntries(map: Map<string, string>, source: unknown): void {
  if (typeof source !== 'object' || source === null) return;
  for (const experimentId of Object.keys(source)) {
    const entry = (source as Record<string, unknown>)[experimentId];
    if (typeof entry === 'object' && entry !== null) {
      const variationId = (entry as Record<string, unknown>).variation_id;
      if (typeof variationId === 'string') map.set(experimentId, variationId);
    }
  }
}
