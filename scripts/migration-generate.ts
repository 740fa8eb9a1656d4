/**
 * `npm run migration:generate -- <Name>`: writes migrations/<timestamp>-<Name>.ts with the SQL that
 * brings a database migrated to the current migrations in line with the entities. It uses
 * DATABASE_URL when set, else a throwaway embedded PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    process.stderr.write('usage: npm run migration:generate -- <PascalCaseName>\n');
    process.exit(2);
  }
  const root = path.resolve(__dirname, '..');
  let url = process.env.DATABASE_URL;
  let pg: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-migration-'));
    fs.chmodSync(dir, 0o755);
    pg = new EmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 54000 + Math.floor(Math.random() * 1000), settings: { fsync: 'off' } });
    await pg.start();
    await pg.createDatabase('generate');
    url = pg.url('generate');
  }
  try {
    await runMigrations(url);
    const cli = path.join(root, 'node_modules', '.bin', 'typeorm-ts-node-commonjs');
    const run = spawnSync(cli, ['migration:generate', path.join('migrations', name), '-d', path.join('src', 'database', 'data-source.ts'), '--pretty'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: url },
    });
    process.exitCode = run.status ?? 1;
  } finally {
    await pg?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
