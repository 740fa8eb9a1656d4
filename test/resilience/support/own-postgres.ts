import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '../../../src/database/embedded-postgres';
import { runMigrations } from '../../../src/database/migrate';
import { freePort } from './child-gateway';

export interface OwnPostgres {
  pg: EmbeddedPostgres;
  url: string;
  /** Deletes the data folder (after stop). */
  remove(): void;
}

/**
 * A PostgreSQL of the suite's own (not the shared test server), so the suite can stop and start
 * it under load. Same port and data folder across restarts; durability off, as for all tests.
 */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-resilience-pg-'));
  fs.chmodSync(dir, 0o755);
  const pg = new EmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  await pg.start();
  await pg.createDatabase('momo_resilience');
  const url = pg.url('momo_resilience');
  await runMigrations(url);
  return { pg, url, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
