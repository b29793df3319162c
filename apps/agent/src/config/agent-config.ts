/**
 * The agent's configuration: the subset of Optimizely Agent's `config.yaml` that FlagKit's agent
 * honours, with Agent's names. Durations are milliseconds here; the YAML file may write them as
 * Go durations (`30s`, `1m`, `1h30m`) or as plain numbers of milliseconds.
 */
export interface AgentConfig {
  /** SDK keys whose clients are built at startup instead of on first use. */
  readonly sdkKeys: readonly string[];
  readonly server: ServerConfig;
  readonly api: ApiConfig;
  readonly admin: AdminConfig;
  readonly webhook: WebhookConfig;
  readonly client: SdkClientConfig;
  /** Multi-node sync over Redis pub/sub, as Agent's `synchronization` section. */
  readonly synchronization: SynchronizationConfig;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' | 'none' };
}

export interface ServerConfig {
  /** Interface every listener binds to. Default `127.0.0.1`. */
  readonly host: string;
  /**
   * Hosts requests may name (`Host`, `X-Forwarded-Host`, `Forwarded: host=`). A leading dot matches
   * any subdomain; `"."` allows every host. Default: `server.host` and `localhost`.
   */
  readonly allowedHosts: readonly string[];
  /** Any GET whose path ends with this answers `{"status":"ok"}`. Default `/health`. */
  readonly healthCheckPath: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  readonly bodyLimit: number;
  readonly batchRequests: { readonly operationsLimit: number; readonly maxConcurrency: number };
  /** PEM files: with both set, every listener speaks HTTPS (TLS 1.2 or later). */
  readonly keyFile: string;
  readonly certFile: string;
}

export interface CorsConfig {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly allowedCredentials: boolean;
  /** Seconds a preflight answer may be cached. */
  readonly maxAge: number;
}

/** One OAuth client of `/oauth/token`: its id, the base64 bcrypt hash of its secret, its keys. */
export interface AuthClientConfig {
  readonly id: string;
  readonly secretHash: string;
  readonly sdkKeys: readonly string[];
}

export interface AuthConfig {
  /**
   * Base64 HMAC secrets for HS256 tokens: the first signs, all verify (rotate by prepending a new
   * one). Empty: auth is off.
   */
  readonly hmacSecrets: readonly string[];
  /** Lifetime of issued tokens in ms; 0 means tokens never expire. */
  readonly ttl: number;
  readonly clients: readonly AuthClientConfig[];
  /** A JWKS URL: tokens are then verified with its keys (by `kid`) instead of the HMAC secrets. */
  readonly jwksURL: string;
  /** How often the JWKS is fetched again, ms; Agent requires it with `jwksURL`. */
  readonly jwksUpdateInterval: number;
}

export interface ApiConfig {
  readonly port: number;
  /** Most `/v1/*` requests in flight at once (open event streams count); more get 429. 0: no limit. */
  readonly maxConns: number;
  /** Whether `/v1/notifications/event-stream` is served. Default false, as in Agent. */
  readonly enableNotifications: boolean;
  /** Whether `/v1/override` is served. Default true, as in Agent's shipped config.yaml. */
  readonly enableOverrides: boolean;
  /** Interval of SSE keep-alive comments, in ms; 0 sends none. Default 15 s (Agent sends none). */
  readonly keepAliveInterval: number;
  readonly cors: CorsConfig;
  readonly auth: AuthConfig;
}

export interface AdminConfig {
  readonly port: number;
  readonly auth: AuthConfig;
}

export interface WebhookProjectConfig {
  readonly sdkKeys: readonly string[];
  readonly secret: string;
  readonly skipSignatureCheck: boolean;
}

export interface WebhookConfig {
  readonly port: number;
  /** Projects by Optimizely project id. */
  readonly projects: Readonly<Record<string, WebhookProjectConfig>>;
}

export interface SdkClientConfig {
  readonly pollingInterval: number;
  readonly batchSize: number;
  readonly queueSize: number;
  readonly flushInterval: number;
  /** The datafile URL, `%s` standing for the SDK key. Default `""`: the SDK's (the CDN, or the authenticated URL with a token). */
  readonly datafileURLTemplate: string;
  /** Where impressions and conversions go. Default: Optimizely's logx. */
  readonly eventURL: string;
  readonly sdkKeyRegex: string;
  /** How long the first request for a new SDK key waits for its datafile, in ms. */
  readonly datafileTimeout: number;
  readonly userProfileService: {
    /** Name of the service to use; `""` means none (`/v1/lookup` and `/v1/save` answer 500). */
    readonly default: string;
    readonly services: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  };
  readonly odp: {
    readonly disable: boolean;
    readonly eventsRequestTimeout: number;
    readonly eventsFlushInterval: number;
    readonly segmentsRequestTimeout: number;
    readonly segmentsCache: {
      readonly default: string;
      readonly services: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    };
  };
  /** CMAB (contextual-bandit) rules: where `/v1/decide` asks for their predictions, and their cache. */
  readonly cmab: {
    /** Per prediction request, in ms. Default 10 s. */
    readonly requestTimeout: number;
    /**
     * The prediction URL, `%s` standing for the rule id. Default: Optimizely's prediction service.
     * `$OPTIMIZELY_CMAB_PREDICTIONENDPOINT`, when set, wins over every other source but `overrides`.
     */
    readonly predictionEndpoint: string;
    readonly cache: {
      /** The service that keeps predictions; only `in-memory` is built in. */
      readonly default: string;
      readonly services: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    };
  };
}

/**
 * A Redis server as Agent's config names it: `host` is `host:port`; the password may be given as
 * `password`, `auth_token` or `redis_secret` (else `$REDIS_PASSWORD`).
 */
export interface RedisServiceConfig {
  readonly host?: string;
  readonly password?: string;
  readonly auth_token?: string;
  readonly redis_secret?: string;
  readonly database?: number;
}

export interface SynchronizationConfig {
  readonly pubsub: { readonly redis: RedisServiceConfig };
  /** Notifications of every node reach every node's SSE streams. */
  readonly notification: { readonly enable: boolean; readonly default: string };
  /** A webhook on one node makes every node re-fetch the datafile. */
  readonly datafile: { readonly enable: boolean; readonly default: string };
}

/** The defaults, as in Agent's shipped config.yaml except where noted. */
export const DEFAULT_CONFIG: AgentConfig = {
  sdkKeys: [],
  server: {
    host: '127.0.0.1',
    allowedHosts: [],
    healthCheckPath: '/health',
    bodyLimit: 1024 * 1024,
    batchRequests: { operationsLimit: 500, maxConcurrency: 10 },
    keyFile: '',
    certFile: '',
  },
  api: {
    port: 8080,
    maxConns: 0,
    enableNotifications: false,
    enableOverrides: true,
    keepAliveInterval: 15_000,
    cors: {
      allowedOrigins: ['*'],
      allowedMethods: ['HEAD', 'GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['*'],
      exposedHeaders: [],
      allowedCredentials: false,
      maxAge: 300,
    },
    auth: { hmacSecrets: [], ttl: 0, clients: [], jwksURL: '', jwksUpdateInterval: 0 },
  },
  admin: { port: 8088, auth: { hmacSecrets: [], ttl: 0, clients: [], jwksURL: '', jwksUpdateInterval: 0 } },
  webhook: { port: 8089, projects: {} },
  client: {
    pollingInterval: 60_000,
    batchSize: 10,
    queueSize: 1000,
    flushInterval: 30_000,
    datafileURLTemplate: '',
    eventURL: 'https://logx.optimizely.com/v1/events',
    sdkKeyRegex: '^[a-zA-Z0-9+/=_]+(:[a-zA-Z0-9+/=_]+)?$',
    datafileTimeout: 10_000,
    userProfileService: { default: '', services: { 'in-memory': { capacity: 0, storageStrategy: 'fifo' } } },
    odp: {
      disable: false,
      eventsRequestTimeout: 10_000,
      eventsFlushInterval: 1_000,
      segmentsRequestTimeout: 10_000,
      segmentsCache: { default: 'in-memory', services: { 'in-memory': { size: 10_000, timeout: 600_000 } } },
    },
    cmab: {
      requestTimeout: 10_000,
      predictionEndpoint: 'https://prediction.cmab.optimizely.com/predict/%s',
      cache: { default: 'in-memory', services: { 'in-memory': { size: 10_000, timeout: 1_800_000 } } },
    },
  },
  synchronization: {
    pubsub: { redis: { host: 'localhost:6379', password: '', database: 0 } },
    notification: { enable: false, default: 'redis' },
    datafile: { enable: false, default: 'redis' },
  },
  log: { level: 'warn' },
};
