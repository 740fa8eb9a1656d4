import type * as ApiKeyDatabase from '../auth/api-key.database';
import type * as DevelopmentKey from '../auth/development-key';
import type { AppConfig } from '../config/app-config';
import { PRODUCTS } from '../common/product';
import type * as EmbeddedPostgresModule from '../database/embedded-postgres';
import type * as Migrate from '../database/migrate';
import type * as Emulator from '../emulator/emulator';
import type * as Provision from '../emulator/provision';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when used (below) */

export interface EmbeddedDefaults {
  config: AppConfig;
  banner(url: string): string[];
  stop(): Promise<void>;
}

/** The database `npm start` (and the CLI, when DATABASE_URL is unset) uses on the embedded server. */
export const EMBEDDED_DATABASE_NAME = 'momo_gateway';

/**
 * What `npm start` brings up by itself when nothing is configured: a real PostgreSQL (data kept in
 * `.data/postgres`, migrations applied at start) and the MoMo sandbox emulator with an API user
 * provisioned on it. Anything configured is used as it is and never started here.
 */
export async function startEmbeddedDefaults(config: AppConfig): Promise<EmbeddedDefaults> {
  const stops: Array<() => Promise<void>> = [];
  const banner: string[] = [];
  let resolved: AppConfig = config;
  let keyBanner: string[] = [];
  try {
    if (!config.database.url) {
      // Loaded only when used: a configured deployment never holds the embedded launcher, the
      // emulator or their dependencies in memory.
      const { EmbeddedPostgres } = require('../database/embedded-postgres') as typeof EmbeddedPostgresModule;
      const { runMigrations } = require('../database/migrate') as typeof Migrate;
      const { withApiKeyStore } = require('../auth/api-key.database') as typeof ApiKeyDatabase;
      const { ensureDevelopmentKey } = require('../auth/development-key') as typeof DevelopmentKey;
      const pg = new EmbeddedPostgres({ dataDir: config.database.embedded.dataDir, port: config.database.embedded.port });
      await pg.start();
      stops.push(() => pg.stop());
      await pg.createDatabase(EMBEDDED_DATABASE_NAME);
      const url = pg.url(EMBEDDED_DATABASE_NAME);
      const applied = await runMigrations(url);
      resolved = { ...resolved, database: { ...resolved.database, url } };
      banner.push(`embedded PostgreSQL on 127.0.0.1:${config.database.embedded.port} (data in ${pg.dataDir}; ${applied.length} migration(s) applied)`);
      // A development key on the embedded database only: a configured database never gets one.
      keyBanner = await withApiKeyStore(url, ensureDevelopmentKey);
    }
    const mtnConfigured = config.momo.baseUrl !== undefined || Object.keys(config.momo.credentials).length > 0 || config.momo.accountsFile !== undefined;
    if (!mtnConfigured) {
      resolved = await withEmulator(resolved, stops, banner);
    }
    banner.push(...keyBanner);
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
  return {
    config: resolved,
    banner: (url) => [`momo-gateway listening on ${url} (docs at ${url}/docs)`, ...banner],
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

/**
 * Starts the MoMo sandbox emulator and provisions an API user on it over HTTP, exactly as one is
 * provisioned on MTN's sandbox, for the callback host this gateway announces. The gateway then
 * reaches it only over HTTP, like the real MTN.
 */
async function withEmulator(config: AppConfig, stops: Array<() => Promise<void>>, banner: string[]): Promise<AppConfig> {
  const { startEmulator } = require('../emulator/emulator') as typeof Emulator;
  const { provisionSandboxUser } = require('../emulator/provision') as typeof Provision;
  const emulator = await startEmulator({ port: config.emulator.port }).catch(() => startEmulator({ port: 0 }));
  stops.push(() => emulator.stop());
  const callbackHost = new URL(config.momo.callbackBaseUrl).hostname;
  const user = await provisionSandboxUser({ baseUrl: emulator.url, subscriptionKey: emulator.subscriptionKeys.collection, callbackHost });
  const credentials = Object.fromEntries(
    PRODUCTS.map((p) => [p, { subscriptionKey: emulator.subscriptionKeys[p], apiUser: user.apiUser, apiKey: user.apiKey }]),
  );
  banner.push(`MoMo sandbox emulator on ${emulator.url} (API user ${user.apiUser}, callbacks to ${callbackHost})`);
  return {
    ...config,
    momo: { ...config.momo, environment: 'sandbox', baseUrl: emulator.url, targetEnvironment: 'sandbox', credentials },
  };
}
