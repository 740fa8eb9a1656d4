import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap/create-app';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/emulator';
import { createAllScopesKey, jsonRequest, type JsonRequest } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './free-port';

export interface GatewayOptions {
  /** `sandbox` (default): one API user, target environment `sandbox`, EUR at MTN. `production`:
   * one account per market (UG, GH, RW, ZM) with its own API user and target environment, each
   * market's own currency at MTN, through an accounts file. */
  mode?: 'sandbox' | 'production';
  /** Extra environment for the gateway (e.g. POLL_ENABLED=false, MTN_MOMO_RETRY_BASE_DELAY_MS). */
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  /** Share one emulator between gateways (several replicas). */
  sharedEmulator?: RunningEmulator;
  /** Share one database between gateways (several replicas). */
  db?: TestDatabase;
}

export interface TestGateway {
  url: string;
  app: NestFastifyApplication;
  config: AppConfig;
  emulator: RunningEmulator;
  db: TestDatabase;
  /** An API key with every scope (and a limit no test reaches), created at start; sent by `request`. */
  apiKey: string;
  /**
   * JSON request to the gateway; resolves with status, headers and parsed body. Sends `apiKey`
   * unless `options.apiKey` names another (null: none) or `headers` carry their own
   * `authorization` / `x-api-key`.
   */
  request: JsonRequest;
  /** Polls GET `route` until `predicate` holds (bounded; no fixed sleeps). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  waitFor<T = any>(route: string, predicate: (body: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}


const MARKETS = [
  { id: 'uganda', country: 'UG', targetEnvironment: 'mtnuganda' },
  { id: 'ghana', country: 'GH', targetEnvironment: 'mtnghana' },
  { id: 'rwanda', country: 'RW', targetEnvironment: 'mtnrwanda' },
  { id: 'zambia', country: 'ZM', targetEnvironment: 'mtnzambia' },
];

/**
 * The whole gateway as it runs in production: the real application on a fresh migrated
 * PostgreSQL database, talking over HTTP to an in-process MoMo emulator that sends its callbacks
 * back over HTTP. Retries are fast (10 ms base) so tests do not wait on real backoffs.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const db = options.db ?? (await createTestDatabase());
  const emulator = options.sharedEmulator ?? (await startEmulator({ port: 0, ...(options.emulator ?? {}) }));
  const port = await freePort();
  const keys = emulator.subscriptionKeys;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    MTN_MOMO_BASE_URL: emulator.url,
    MTN_MOMO_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
    MTN_MOMO_RETRY_BASE_DELAY_MS: '10',
    MTN_MOMO_TIMEOUT_MS: '2000',
    POLL_INTERVAL_MS: '200',
  };
  let accountsDir: string | undefined;
  if ((options.mode ?? 'sandbox') === 'sandbox') {
    const user = emulator.createApiUser({ providerCallbackHost: '127.0.0.1', targetEnvironment: 'sandbox' });
    Object.assign(env, {
      MTN_MOMO_ENVIRONMENT: 'sandbox',
      MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY: keys.collection,
      MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: keys.disbursement,
      MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY: keys.remittance,
      MTN_MOMO_API_USER: user.apiUser,
      MTN_MOMO_API_KEY: user.apiKey,
    });
  } else {
    const accounts = MARKETS.map((m) => {
      const user = emulator.createApiUser({ providerCallbackHost: '127.0.0.1', targetEnvironment: m.targetEnvironment });
      const creds = (key: string) => ({ subscriptionKey: key, apiUser: user.apiUser, apiKey: user.apiKey });
      return {
        id: m.id,
        countries: [m.country],
        targetEnvironment: m.targetEnvironment,
        products: { collection: creds(keys.collection), disbursement: creds(keys.disbursement), remittance: creds(keys.remittance) },
      };
    });
    accountsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-accounts-'));
    const file = path.join(accountsDir, 'accounts.json');
    fs.writeFileSync(file, JSON.stringify({ accounts }));
    Object.assign(env, { MTN_MOMO_ENVIRONMENT: 'production', MTN_MOMO_ACCOUNTS_FILE: file });
  }
  Object.assign(env, options.env ?? {});
  const config = loadConfig(env);
  const app = await createApp(config);
  await app.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const apiKey = await createAllScopesKey(app);
  const request = jsonRequest(url, apiKey);

  return {
    url,
    app,
    config,
    emulator,
    db,
    apiKey,
    request,
    async waitFor(route, predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const res = await request('GET', route);
        last = res.body;
        if (res.status === 200 && predicate(res.body)) return res.body as Parameters<typeof predicate>[0];
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`condition on ${route} not met within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`);
    },
    async close() {
      await app.close();
      if (!options.sharedEmulator) await emulator.stop();
      if (!options.db) await db.drop();
      if (accountsDir) fs.rmSync(accountsDir, { recursive: true, force: true });
    },
  };
}
