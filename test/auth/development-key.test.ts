import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withApiKeyStore } from '../../src/auth/api-key.database';
import { ensureDevelopmentKey } from '../../src/auth/development-key';
import { startEmbeddedDefaults } from '../../src/bootstrap/embedded-defaults';
import { loadConfig } from '../../src/config/app-config';
import { startTestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/free-port';

const KEY = /mgw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/;


describe('the development key', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is created with every scope when no key exists, shown once, and works on every product', async () => {
    const lines = await withApiKeyStore(db.url, ensureDevelopmentKey);
    const key = KEY.exec(lines.join('\n'))?.[0];
    expect(key).toBeDefined();
    expect(lines.join('\n')).toMatch(/shown only now/);

    const t = await startTestApp({}, { db });
    try {
      for (const route of ['/v1/collections', '/v1/disbursements', '/v1/remittances']) {
        expect((await t.request('GET', route, undefined, {}, { apiKey: key! })).status).toBe(200);
      }
    } finally {
      await t.close();
    }

    const again = await withApiKeyStore(db.url, ensureDevelopmentKey);
    expect(again.join('\n')).not.toMatch(KEY);
    expect(again.join('\n')).toMatch(/API keys: 2 in the database.*\n.*api-key:create/);
  });
});

describe('npm start on the embedded defaults', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-devkey-pg-'));
    fs.chmodSync(dir, 0o755);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a development key at the first start only', async () => {
    const config = loadConfig({
      EMBEDDED_POSTGRES_DIR: path.join(dir, 'data'),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      MOMO_EMULATOR_PORT: '0',
    });
    const first = await startEmbeddedDefaults(config);
    const firstBanner = first.banner('http://127.0.0.1:1').join('\n');
    await first.stop();
    expect(firstBanner).toMatch(
      new RegExp(`development API key \\(every scope; shown only now, store it\\): ${KEY.source}`),
    );

    const second = await startEmbeddedDefaults(config);
    const secondBanner = second.banner('http://127.0.0.1:1').join('\n');
    await second.stop();
    expect(secondBanner).not.toMatch(KEY);
    expect(secondBanner).toContain('API keys: 1 in the database');
  });

  it('creates no key on a configured database', async () => {
    const db = await createTestDatabase();
    try {
      const defaults = await startEmbeddedDefaults(
        loadConfig({ DATABASE_URL: db.url, MOMO_EMULATOR_PORT: '0' }),
      );
      const banner = defaults.banner('http://127.0.0.1:1').join('\n');
      await defaults.stop();
      expect(banner).not.toMatch(/API key/);
      expect(await withApiKeyStore(db.url, (store) => store.count())).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
