import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { TEMPLATE_DB, withDatabase } from './database';
import { freePort } from './free-port';

/**
 * Starts one real PostgreSQL for the whole run (unless TEST_DATABASE_URL names one), migrates a
 * template database, and hands its URL to the test workers through the environment. Each suite
 * then clones the template (`createTestDatabase`), which takes milliseconds.
 */


export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-gateway-test-pg-'));
    fs.chmodSync(dataDir, 0o755);
    const pg = new EmbeddedPostgres({
      dataDir: path.join(dataDir, 'data'),
      port: await freePort(),
      // A throwaway cluster: durability buys nothing here and costs seconds.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    await pg.start();
    (globalThis as Record<string, unknown>).__MOMO_TEST_PG__ = { pg, dataDir };
    adminUrl = pg.url();
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(adminUrl, TEMPLATE_DB));
  process.env.MOMO_TEST_ADMIN_URL = adminUrl;
}

