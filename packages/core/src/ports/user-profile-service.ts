/** A stored bucketing decision: experiment id → chosen variation id. */
export type ExperimentBucketMap = Record<string, { readonly variation_id: string }>;

/** The profile a user profile service stores for sticky bucketing (Optimizely's shape). */
export interface UserProfile {
  readonly user_id: string;
  readonly experiment_bucket_map: ExperimentBucketMap;
}

/**
 * Sticky bucketing, synchronous flavour, used by `decide*` and the legacy APIs. `lookup` is called
 * once per decide call and `save` at most once, only when a new bucketing was added. Errors are
 * logged and treated as an empty profile.
 */
export interface UserProfileService {
  lookup(userId: string): UserProfile | null | undefined;
  save(profile: UserProfile): void;
}

/** Sticky bucketing for the async decide APIs (`decideAsync` and friends), e.g. backed by Redis. */
export interface UserProfileServiceAsync {
  lookup(userId: string): Promise<UserProfile | null | undefined>;
  save(profile: UserProfile): Promise<void>;
}
