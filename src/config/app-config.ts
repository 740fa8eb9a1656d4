import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { validateCronExpression } from 'cron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCTS, type Product } from '../common/product';
import { AllowedHostsError, parseAllowedHosts } from '../notifications/allowed-hosts';
import { EnvironmentVariables } from './environment.schema';

export interface MomoCredentials {
  subscriptionKey: string;
  apiUser: string;
  apiKey: string;
}

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  http: { host: string; port: number };
  log: { level: string; pretty: boolean; requests: boolean };
  database: {
    /** Unset means: run the embedded PostgreSQL (see `database/embedded-postgres.ts`). */
    url?: string;
    poolSize: number;
    embedded: { dataDir: string; port: number };
  };
  momo: {
    environment: 'sandbox' | 'production';
    /** Unset means: no MTN configured; `npm start` then runs the emulator and points here at it. */
    baseUrl?: string;
    /** `X-Target-Environment`; defaults to `sandbox` in sandbox mode, per country in production. */
    targetEnvironment?: string;
    callbackBaseUrl: string;
    /** Per product; absent when that product has no credentials configured. */
    credentials: Partial<Record<Product, MomoCredentials>>;
    accountsFile?: string;
    countryRulesFile?: string;
    timeoutMs: number;
    tokenRefreshMarginSeconds: number;
    breaker: { failureThreshold: number; openSeconds: number };
    retry: { maxAttempts: number; baseDelayMs: number };
    rateLimit: { requestsPerMinute: number; maxWaitMs: number; backgroundPercent: number };
  };
  polling: { enabled: boolean; intervalMs: number; maxAttempts: number };
  /** MTN's callbacks are confirmed with MTN through a bounded queue (see `WebhookService`). */
  callbacks: {
    /** Confirmations (status call and update) in flight at once. */
    concurrency: number;
    /** Callbacks waiting for a confirmation slot; beyond it the poller is asked to look soon. */
    queueCapacity: number;
    /** At shutdown, how long queued confirmations may still run before the rest go to the poller. */
    drainTimeoutMs: number;
  };
  notifications: {
    /** This replica delivers the notification outbox (any number may: each row goes out once). */
    enabled: boolean;
    /** Pause between delivery rounds. */
    intervalMs: number;
    /** Per POST to a consumer's endpoint. */
    timeoutMs: number;
    /** DELIVERED/FAILED rows are deleted this many days after their last activity; 0: kept. */
    retentionDays: number;
    /**
     * Hosts endpoints may point at, normalised (`notifications/allowed-hosts.ts`); null: any host.
     * Checked at registration and again before every attempt.
     */
    allowedHosts: string[] | null;
  };
  reconciliation: {
    /** This replica starts the scheduled runs (every replica may: a slot runs once). */
    scheduleEnabled: boolean;
    /** Cron (UTC) of the stale-PENDING run. */
    stalePendingCron: string;
    /** Cron (UTC) of the daily run over the previous UTC day. */
    dailyCron: string;
    /** A PENDING transaction older than this is checked by the stale-PENDING run. */
    pendingThresholdSeconds: number;
    /** MTN's 404 for a transaction younger than this means "not known yet", not "missing". */
    notFoundGraceSeconds: number;
    /** Close a PENDING transaction MTN does not know (after the grace) as FAILED NOT_FOUND_AT_MTN. */
    failMissingPending: boolean;
    /** A RUNNING run whose heartbeat is older than this belongs to a dead replica. */
    heartbeatTimeoutSeconds: number;
    /** How often a dead replica's run is resumed before it is closed as ABANDONED. */
    maxResumes: number;
    /** MTN status calls in flight at once per run. */
    concurrency: number;
  };
  emulator: { port: number };
  observability: {
    metrics: {
      /** How long the PENDING counts behind the metrics are reused between scrapes; 0: every scrape queries. */
      pendingCacheMs: number;
    };
    readiness: {
      /** Readiness also requires that each configured MTN product can get a token. */
      tokenCheck: boolean;
      /** How long a token check result is reused; 0: every probe checks (a cached token still counts). */
      tokenCheckTtlMs: number;
    };
    tracing: TracingSettings;
  };
  auth: {
    /** How long a looked-up API key (or its revocation) is remembered; 0: every request reads the database. */
    keyCacheTtlSeconds: number;
    /** Requests per minute per API key unless the key has its own limit; shared by all replicas. */
    defaultRateLimitPerMinute: number;
    /** `/metrics` answers without a key (else it needs the `metrics:read` scope). */
    metricsPublic: boolean;
  };
}

export type TracesSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** OpenTelemetry tracing, from the standard `OTEL_*` variables (docs/observability.md). */
export interface TracingSettings {
  /** OTLP/HTTP traces URL; unset: tracing is off and no SDK is started. */
  tracesUrl?: string;
  /** Sent with every export (e.g. a collector's API key); never logged. */
  headers: Record<string, string>;
  serviceName: string;
  /** `deployment.environment.name` (NODE_ENV). */
  environment: string;
  sampler: TracesSampler;
  /** The ratio of the `*traceidratio` samplers (0 to 1). */
  samplerRatio: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A configuration that cannot start the service; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string {
  return errors
    .map((e) => {
      const reasons = Object.values(e.constraints ?? {}).join('; ');
      return `${e.property}: ${reasons}`;
    })
    .join(' | ');
}

function bool(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value === 'true' || value === '1';
}

/** A cron expression the scheduler will accept, or a ConfigError naming the variable. */
function cronSetting(value: string | undefined, fallback: string, name: string): string {
  const expression = value ?? fallback;
  const check = validateCronExpression(expression);
  if (!check.valid) throw new ConfigError(`Invalid configuration: ${name}: not a valid cron expression (${check.error?.message ?? 'unparsable'})`);
  return expression;
}

/** `NOTIFICATIONS_ALLOWED_HOSTS`, parsed, or a ConfigError naming the variable and the bad item. */
function allowedHostsSetting(value: string | undefined): string[] | null {
  try {
    return parseAllowedHosts(value);
  } catch (err) {
    if (err instanceof AllowedHostsError)
      throw new ConfigError(`Invalid configuration: NOTIFICATIONS_ALLOWED_HOSTS: ${err.message}`);
    throw err;
  }
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values URL-encoded. */
function otlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    try {
      headers[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError('Invalid configuration: OTEL_EXPORTER_OTLP_HEADERS: a value is not URL-encoded');
    }
  }
  return headers;
}

/** The traces URL: the signal-specific variable as given, else `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
function otlpTracesUrl(env: EnvironmentVariables): string | undefined {
  if (bool(env.OTEL_SDK_DISABLED, false)) return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

function credentialsFor(env: EnvironmentVariables, product: Product): MomoCredentials | undefined {
  const upper = product.toUpperCase() as Uppercase<Product>;
  const pick = (name: 'SUBSCRIPTION_KEY' | 'API_USER' | 'API_KEY'): string | undefined =>
    (env[`MTN_MOMO_${upper}_${name}` as keyof EnvironmentVariables] as string | undefined) ??
    (env[`MTN_MOMO_${name}` as keyof EnvironmentVariables] as string | undefined);
  const subscriptionKey = pick('SUBSCRIPTION_KEY');
  const apiUser = pick('API_USER');
  const apiKey = pick('API_KEY');
  const given = [subscriptionKey, apiUser, apiKey].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < 3 || !subscriptionKey || !apiUser || !apiKey) {
    const missing = [
      !subscriptionKey && `MTN_MOMO_${upper}_SUBSCRIPTION_KEY (or MTN_MOMO_SUBSCRIPTION_KEY)`,
      !apiUser && `MTN_MOMO_${upper}_API_USER (or MTN_MOMO_API_USER)`,
      !apiKey && `MTN_MOMO_${upper}_API_KEY (or MTN_MOMO_API_KEY)`,
    ].filter(Boolean);
    throw new ConfigError(`Incomplete MTN credentials for ${product}: missing ${missing.join(', ')}`);
  }
  return { subscriptionKey, apiUser, apiKey };
}

/**
 * Reads and validates the environment once. This is the only place in the gateway that reads
 * `process.env`; everything else receives the typed result through `APP_CONFIG`.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset", as in most .env tooling.
  const plain = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, plain, { enableImplicitConversion: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration: ${describe(errors)}`);
  }

  const credentials: Partial<Record<Product, MomoCredentials>> = {};
  for (const product of PRODUCTS) {
    const c = credentialsFor(env, product);
    if (c) credentials[product] = c;
  }
  const configuredProducts = Object.keys(credentials).length;
  if (configuredProducts > 0 && !env.MTN_MOMO_BASE_URL) {
    throw new ConfigError('Invalid configuration: MTN_MOMO_BASE_URL is required when MTN credentials are set');
  }
  if (env.MTN_MOMO_BASE_URL && configuredProducts === 0 && !env.MTN_MOMO_ACCOUNTS_FILE) {
    throw new ConfigError(
      'Invalid configuration: MTN_MOMO_BASE_URL is set but no credentials are: set MTN_MOMO_SUBSCRIPTION_KEY, MTN_MOMO_API_USER and MTN_MOMO_API_KEY (or MTN_MOMO_ACCOUNTS_FILE)',
    );
  }
  const environment = (env.MTN_MOMO_ENVIRONMENT ?? 'sandbox') as 'sandbox' | 'production';
  if (environment === 'production' && env.MTN_MOMO_TARGET_ENVIRONMENT === 'sandbox') {
    throw new ConfigError('Invalid configuration: MTN_MOMO_TARGET_ENVIRONMENT cannot be sandbox when MTN_MOMO_ENVIRONMENT=production');
  }
  const port = env.PORT ?? 3000;
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];

  return {
    nodeEnv,
    http: { host: env.HOST ?? '0.0.0.0', port },
    log: {
      level: env.LOG_LEVEL ?? 'info',
      pretty: bool(env.LOG_PRETTY, false),
      requests: bool(env.LOG_REQUESTS, true),
    },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE ?? 10,
      embedded: {
        dataDir: path.resolve(env.EMBEDDED_POSTGRES_DIR ?? path.join('.data', 'postgres')),
        port: env.EMBEDDED_POSTGRES_PORT ?? 54329,
      },
    },
    momo: {
      environment,
      baseUrl: env.MTN_MOMO_BASE_URL?.replace(/\/+$/, ''),
      targetEnvironment: env.MTN_MOMO_TARGET_ENVIRONMENT ?? (environment === 'sandbox' ? 'sandbox' : undefined),
      callbackBaseUrl: (env.MTN_MOMO_CALLBACK_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
      credentials,
      accountsFile: env.MTN_MOMO_ACCOUNTS_FILE,
      countryRulesFile: env.COUNTRY_RULES_FILE,
      timeoutMs: env.MTN_MOMO_TIMEOUT_MS ?? 10_000,
      tokenRefreshMarginSeconds: env.MTN_MOMO_TOKEN_REFRESH_MARGIN_SECONDS ?? 60,
      breaker: {
        failureThreshold: env.MTN_MOMO_BREAKER_FAILURE_THRESHOLD ?? 5,
        openSeconds: env.MTN_MOMO_BREAKER_OPEN_SECONDS ?? 60,
      },
      retry: {
        maxAttempts: env.MTN_MOMO_RETRY_MAX_ATTEMPTS ?? 3,
        baseDelayMs: env.MTN_MOMO_RETRY_BASE_DELAY_MS ?? 2_000,
      },
      rateLimit: {
        requestsPerMinute: env.MTN_MOMO_RATE_LIMIT_PER_MINUTE ?? 600,
        maxWaitMs: env.MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS ?? 2_000,
        backgroundPercent: env.MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT ?? 30,
      },
    },
    polling: {
      enabled: bool(env.POLL_ENABLED, true),
      intervalMs: env.POLL_INTERVAL_MS ?? 5_000,
      maxAttempts: env.POLL_MAX_ATTEMPTS ?? 12,
    },
    callbacks: {
      concurrency: env.CALLBACK_CONCURRENCY ?? 4,
      queueCapacity: env.CALLBACK_QUEUE_CAPACITY ?? 1_000,
      drainTimeoutMs: env.CALLBACK_DRAIN_TIMEOUT_MS ?? 10_000,
    },
    notifications: {
      enabled: bool(env.NOTIFICATIONS_ENABLED, true),
      intervalMs: env.NOTIFICATIONS_INTERVAL_MS ?? 1_000,
      timeoutMs: env.NOTIFICATIONS_TIMEOUT_MS ?? 5_000,
      retentionDays: env.NOTIFICATIONS_RETENTION_DAYS ?? 30,
      allowedHosts: allowedHostsSetting(env.NOTIFICATIONS_ALLOWED_HOSTS),
    },
    reconciliation: {
      scheduleEnabled: bool(env.RECONCILIATION_SCHEDULE_ENABLED, true),
      stalePendingCron: cronSetting(env.RECONCILIATION_STALE_PENDING_CRON, '*/15 * * * *', 'RECONCILIATION_STALE_PENDING_CRON'),
      dailyCron: cronSetting(env.RECONCILIATION_DAILY_CRON, '30 0 * * *', 'RECONCILIATION_DAILY_CRON'),
      pendingThresholdSeconds: env.RECONCILIATION_PENDING_THRESHOLD_SECONDS ?? 300,
      notFoundGraceSeconds: env.RECONCILIATION_NOT_FOUND_GRACE_SECONDS ?? 600,
      failMissingPending: bool(env.RECONCILIATION_FAIL_MISSING_PENDING, true),
      heartbeatTimeoutSeconds: env.RECONCILIATION_HEARTBEAT_TIMEOUT_SECONDS ?? 120,
      maxResumes: env.RECONCILIATION_MAX_RESUMES ?? 3,
      concurrency: env.RECONCILIATION_CONCURRENCY ?? 4,
    },
    emulator: { port: env.MOMO_EMULATOR_PORT ?? 8090 },
    observability: {
      metrics: { pendingCacheMs: (env.METRICS_PENDING_CACHE_SECONDS ?? 5) * 1000 },
      readiness: {
        tokenCheck: bool(env.HEALTH_TOKEN_CHECK, true),
        tokenCheckTtlMs: (env.HEALTH_TOKEN_CHECK_TTL_SECONDS ?? 30) * 1000,
      },
      tracing: {
        tracesUrl: otlpTracesUrl(env),
        headers: otlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
        serviceName: env.OTEL_SERVICE_NAME ?? 'momo-gateway',
        environment: nodeEnv,
        sampler: (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on') as TracesSampler,
        samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
      },
    },
    auth: {
      keyCacheTtlSeconds: env.API_KEY_CACHE_TTL_SECONDS ?? 30,
      defaultRateLimitPerMinute: env.API_KEY_RATE_LIMIT_PER_MINUTE ?? 1200,
      metricsPublic: bool(env.METRICS_PUBLIC, true),
    },
  };
}

/** Loads `.env` from the working folder when there is one; variables already set win. */
export function loadDotEnvFile(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
