import type {
  ExperimentBucketMap,
  Logger,
  Requester,
  UserProfile,
  UserProfileServiceAsync,
} from '@flagkit/node';

/** Agent's `rest` user profile service settings (`client.userProfileService.services.rest`). */
export interface RestUserProfileServiceOptions {
  /** Base URL of the profile service, e.g. `http://ups.internal:8080`. */
  readonly host: string;
  readonly lookupPath?: string;
  readonly lookupMethod?: string;
  readonly savePath?: string;
  readonly saveMethod?: string;
  /** Name of the user id field in requests and answers; default `user_id`. */
  readonly userIDKey?: string;
  /** Save without waiting for the answer; default false. */
  readonly async?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * A user profile service behind your own HTTP API, as Agent's `rest` plugin calls it: lookup sends
 * `{<userIDKey>: id}` (as the query of a GET, else a JSON body) and reads back
 * `{<userIDKey>, experiment_bucket_map}`; save sends that object. Failures are logged and give
 * "no profile" (lookup) or a lost save, never a failed decision.
 */
export function createRestUserProfileService(
  options: RestUserProfileServiceOptions,
  requester: Requester,
  logger: Logger,
): UserProfileServiceAsync {
  const host = options.host.replace(/\/+$/, '');
  const idKey = options.userIDKey || 'user_id';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = { 'content-type': 'application/json', ...options.headers };
  const method = (given: string | undefined): 'GET' | 'POST' =>
    (given ?? 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';

  const send = async (path: string, verb: 'GET' | 'POST', payload: Record<string, unknown>) => {
    let url = `${host}${path}`;
    if (verb === 'GET') {
      url += `?${new URLSearchParams(Object.entries(payload).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    }
    const response = await requester.request({
      url,
      method: verb,
      headers,
      ...(verb === 'POST' ? { body: JSON.stringify(payload) } : {}),
      timeoutMs,
    });
    const text = await response.text();
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
    return text;
  };

  return {
    async lookup(userId) {
      try {
        const text = await send(options.lookupPath ?? '/ups/lookup', method(options.lookupMethod), {
          [idKey]: userId,
        });
        const body = JSON.parse(text) as Record<string, unknown>;
        const map = body.experiment_bucket_map;
        if (typeof map !== 'object' || map === null) return null;
        const profile: UserProfile = { user_id: userId, experiment_bucket_map: map as ExperimentBucketMap };
        return profile;
      } catch (error) {
        logger.log('error', `REST user profile lookup failed: ${(error as Error).message}`);
        return null;
      }
    },
    async save(profile) {
      const saving = send(options.savePath ?? '/ups/save', method(options.saveMethod), {
        [idKey]: profile.user_id,
        experiment_bucket_map: profile.experiment_bucket_map,
      }).then(
        () => undefined,
        (error: unknown) => logger.log('error', `REST user profile save failed: ${(error as Error).message}`),
      );
      if (!options.async) await saving;
    },
  };
}
