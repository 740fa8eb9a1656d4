import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { startTestApp, type TestApp } from '../support/app';
import { freePort } from '../support/free-port';


describe('health', () => {
  describe('on a healthy database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers liveness with 200', async () => {
      const res = await fetch(`${t.url}/health/live`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    });

    it('answers readiness with 200 when the database is up and migrated', async () => {
      const res = await fetch(`${t.url}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    });
  });

  describe('when the database stops', () => {
    let pg: EmbeddedPostgres;
    let dir: string;
    let t: TestApp;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-health-pg-'));
      fs.chmodSync(dir, 0o755);
      pg = new EmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: await freePort(), settings: { fsync: 'off' } });
      await pg.start();
      await pg.createDatabase('health');
      await runMigrations(pg.url('health'));
      t = await startTestApp({}, { db: { url: pg.url('health'), name: 'health', drop: () => Promise.resolve() } });
    });
    afterAll(async () => {
      await t.close();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('goes 503 on readiness while liveness stays 200, and recovers when the database is back', async () => {
      expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);

      await pg.stop();
      const down = await fetch(`${t.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'error', details: { database: { status: 'down' } } });
      expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

      await pg.start();
      // The pool reconnects on the next checkout; no waiting on timers is involved.
      expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
    });
  });
});
