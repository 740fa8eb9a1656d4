import { Global, Module, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { CounterPool } from '../../src/database/counter-pool';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { BreakerService } from '../../src/momo/breaker/breaker.service';
import { MomoModule } from '../../src/momo/momo.module';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  emulatorRequests,
  provisionApiUser,
  silentLogger,
  startHarness,
  type Harness,
  type ProvisionedUser,
} from './momo-harness';

/** Every line the application logs, at every level. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...args: unknown[]): void => {
    this.lines.push(JSON.stringify(args));
  };
  log = this.keep;
  warn = this.keep;
  error = this.keep;
  debug = this.keep;
  verbose = this.keep;
}

const UNKNOWN_USER = '9b2f6a51-0c3e-4d7a-8f1b-2e4c6a8d0f13';

function accountsYaml(emulator: RunningEmulator, user: ProvisionedUser): string {
  const keys = emulator.subscriptionKeys;
  return `
accounts:
  - id: sandbox-all
    countries: ["*"]
    products:
      collection: { subscriptionKey: ${keys.collection}, apiUser: ${user.apiUser}, apiKey: ${user.apiKey} }
      disbursement: { subscriptionKey: ${keys.disbursement}, apiUser: ${user.apiUser}, apiKey: ${user.apiKey} }
  - id: ghana-wrong-subscription
    countries: [GH]
    products:
      collection: { subscriptionKey: not-the-key, apiUser: ${user.apiUser}, apiKey: ${user.apiKey} }
  - id: rwanda-unknown-user
    countries: [RW]
    products:
      collection: { subscriptionKey: ${keys.collection}, apiUser: ${UNKNOWN_USER}, apiKey: not-the-api-key }
`;
}

describe('MTN accounts from a YAML file, against the emulator', () => {
  let emulator: RunningEmulator;
  let db: TestDatabase;
  let user: ProvisionedUser;
  let dir: string;
  let h: Harness;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    db = await createTestDatabase();
    user = await provisionApiUser(emulator, 'gateway.test');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-accounts-'));
    const file = path.join(dir, 'accounts.yaml');
    fs.writeFileSync(file, accountsYaml(emulator, user));
    h = await startHarness({
      shared: { emulator, db, user },
      logger,
      env: {
        MTN_MOMO_ACCOUNTS_FILE: file,
        MTN_MOMO_API_USER: '',
        MTN_MOMO_API_KEY: '',
        MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY: '',
        MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: '',
        MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY: '',
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await emulator.stop();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('routes a country without an account of its own to the account for every country', async () => {
    await expect(
      h.client.getBalance({ product: 'collection', country: 'UG' }),
    ).resolves.toMatchObject({ currency: 'EUR' });
    expect(logger.lines.some((l) => l.includes('"accountId":"sandbox-all"'))).toBe(true);
  });

  it('routes a country to its own account: APIM refuses its key with {statusCode, message}', async () => {
    await expect(
      h.client.getBalance({ product: 'collection', country: 'GH' }),
    ).rejects.toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED', httpStatus: 401 });
    const [token] = await emulatorRequests(emulator, { path: '/collection/token/', status: '401' });
    expect(token?.headers['ocp-apim-subscription-key']).toBe('not-the-key');
  });

  it('gets the token endpoint\'s {"error":"login_failed"} for an API user MTN does not know', async () => {
    await expect(
      h.client.getBalance({ product: 'collection', country: 'RW' }),
    ).rejects.toMatchObject({
      code: 'MTN_AUTHENTICATION_FAILED',
      mtnCode: 'login_failed',
      transient: false,
    });
  });

  it("routes a product the country's own account lacks to the account for every country", async () => {
    await expect(
      h.client.getBalance({ product: 'disbursement', country: 'GH' }),
    ).resolves.toMatchObject({ currency: 'EUR' });
  });

  it('refuses a product no account serves', async () => {
    await expect(
      h.client.getBalance({ product: 'remittance', country: 'UG' }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_COUNTRY' });
  });

  it('keeps one breaker per account and product, untouched by credential failures', () => {
    expect(
      h.moduleRef
        .get(BreakerService)
        .getStates()
        .map((s) => `${s.accountId}/${s.product}/${s.state}`),
    ).toEqual([
      'sandbox-all/collection/closed',
      'sandbox-all/disbursement/closed',
      'ghana-wrong-subscription/collection/closed',
      'rwanda-unknown-user/collection/closed',
    ]);
  });

  it('never logs a secret', () => {
    const all = logger.lines.join('\n');
    const basic = Buffer.from(`${user.apiUser}:${user.apiKey}`).toString('base64');
    for (const secret of [
      emulator.subscriptionKeys.collection,
      emulator.subscriptionKeys.disbursement,
      user.apiKey,
      basic,
      'not-the-api-key',
      user.apiUser,
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
  });
});

/** Start-up of the module alone: the file is read while providers are built, before any I/O. */
@Global()
@Module({
  providers: [
    { provide: DataSource, useValue: { driver: { master: {} } } },
    { provide: CounterPool, useValue: { pool: {} } },
  ],
  exports: [DataSource, CounterPool],
})
class NoDatabaseModule {}

describe('an invalid accounts file', () => {
  it('stops start-up with one line naming the problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-accounts-'));
    const file = path.join(dir, 'accounts.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        accounts: [
          {
            id: 'ug',
            countries: ['UG'],
            products: { collection: { subscriptionKey: 'k', apiUser: 'nope', apiKey: 'SECRET' } },
          },
        ],
      }),
    );
    const config = loadConfig({
      MTN_MOMO_BASE_URL: 'http://127.0.0.1:9',
      MTN_MOMO_ACCOUNTS_FILE: file,
    });
    try {
      const building = Test.createTestingModule({
        imports: [ConfigModule.forRoot(config), NoDatabaseModule, MomoModule],
      })
        .setLogger(silentLogger)
        .compile();
      await expect(building).rejects.toThrow(
        `Invalid MTN accounts file ${file}: accounts[0].products.collection.apiUser must be a UUID`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
