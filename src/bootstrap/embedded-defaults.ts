import type { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrate';

export interface EmbeddedDefaults {
  config: AppConfig;
  banner(url: string): string[];
  stop(): Promise<void>;
}

const DATABASE_NAME = 'momo_gateway';

/**
 * What `npm start` brings up by itself when nothing is configured: a real PostgreSQL (data kept in
 * `.data/postgres`, migrations applied at start) and the MoMo sandbox emulator with an API user
 * provisioned on it. Anything configured is used as it is and never started here.
 */
export async function startEmbeddedDefaults(config: AppConfig): Promise<EmbeddedDefaults> {
  const stops: Array<() => Promise<void>> = [];
  const banner: string[] = [];
  let resolved: AppConfig = config;
  try {
    if (!config.database.url) {
      const pg = new EmbeddedPostgres({ dataDir: config.database.embedded.dataDir, port: config.database.embedded.port });
      await pg.start();
      stops.push(() => pg.stop());
      await pg.createDatabase(DATABASE_NAME);
      const url = pg.url(DATABASE_NAME);
      const applied = await runMigrations(url);
      resolved = { ...resolved, database: { ...resolved.database, url } };
      banner.push(`embedded PostgreSQL on 127.0.0.1:${config.database.embedded.port} (data in ${pg.dataDir}; ${applied.length} migration(s) applied)`);
    }
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
