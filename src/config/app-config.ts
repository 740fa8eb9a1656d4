import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCTS, type Product } from '../common/product';
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
  emulator: { port: number };
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
    emulator: { port: env.MOMO_EMULATOR_PORT ?? 8090 },
  };
}

/** Loads `.env` from the working folder when there is one; variables already set win. */
export function loadDotEnvFile(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
