import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap/create-app';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application (same wiring as `npm start`) on a fresh migrated database of its own,
 * listening on a free port so tests talk to it over real HTTP.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { db?: TestDatabase } = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    db,
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}
