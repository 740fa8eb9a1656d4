import type { AppConfig } from '../config/app-config';
import { withApiKeyStore } from '../auth/api-key.database';
import { ensureDevelopmentKey } from '../auth/development-key';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';
import { startEmulator } from '../emulator/emulator';
import { provisionSandboxUser } from '../emulator/provision';
import { PRODUCTS } from '../common/product';

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
