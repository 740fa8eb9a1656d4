import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { API_KEY_SCOPES } from '../../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../../src/auth/api-key.store';
import { typeOrmOptions } from '../../../src/database/typeorm-options';
import type { RunningEmulator } from '../../../src/emulator/emulator';
import { eventually } from './scale';
import { freePort } from '../../support/free-port';
export { freePort };

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** An API key with every scope, written with the auth module's own store. */
export async function createApiKey(databaseUrl: string): Promise<string> {
  const ds = new DataSource(typeOrmOptions(databaseUrl, 1));
  await ds.initialize();
  try {
    const created = await new ApiKeyStore(ds).create({
      name: `resilience-${Date.now()}`,
      scopes: API_KEY_SCOPES,
      rateLimitPerMinute: 1_000_000,
    });
    return created.key;
  } finally {
    await ds.destroy();
  }
}

export interface ChildGateway {
  url: string;
  apiKey: string;
  apiUser: string;
  /** The running process (undefined while down). */
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, in-flight work is lost mid-way. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful path. */
  stop(): Promise<void>;
  /** The last lines the process wrote (for failure messages). */
  output(): string;
}

export interface ChildGatewayOptions {
  databaseUrl: string;
  emulator: RunningEmulator;
  env?: Record<string, string>;
}

/**
 * The gateway as its own process (`node -r ts-node/register/transpile-only src/main.ts`, what
 * `npm start` runs), so a test can SIGKILL it and start it again on the same port (MTN's callback
 * URLs keep pointing at it) and the same database.
 */
export async function childGateway(o: ChildGatewayOptions): Promise<ChildGateway> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const user = o.emulator.createApiUser({
    providerCallbackHost: '127.0.0.1',
    targetEnvironment: 'sandbox',
  });
  const apiKey = await createApiKey(o.databaseUrl);
  const keys = o.emulator.subscriptionKeys;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const tail: string[] = [];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.RESILIENCE_LOG_LEVEL ?? 'warn',
    DATABASE_URL: o.databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    MTN_MOMO_ENVIRONMENT: 'sandbox',
    MTN_MOMO_BASE_URL: o.emulator.url,
    MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY: keys.collection,
    MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: keys.disbursement,
    MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY: keys.remittance,
    MTN_MOMO_API_USER: user.apiUser,
    MTN_MOMO_API_KEY: user.apiKey,
    MTN_MOMO_CALLBACK_BASE_URL: url,
    MTN_MOMO_RETRY_BASE_DELAY_MS: '10',
    MTN_MOMO_TIMEOUT_MS: '2000',
    POLL_INTERVAL_MS: '200',
    // The budget is not under test here; MTN's 600/min would pace polling and reconciliation.
    MTN_MOMO_RATE_LIMIT_PER_MINUTE: '100000',
    RECONCILIATION_SCHEDULE_ENABLED: 'false',
    RECONCILIATION_PENDING_THRESHOLD_SECONDS: '0',
    RECONCILIATION_NOT_FOUND_GRACE_SECONDS: '0',
    ...(o.env ?? {}),
  };
  delete env.JEST_WORKER_ID;
  const gw: ChildGateway = {
    url,
    apiKey,
    apiUser: user.apiUser,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null)
        throw new Error('already running');
      const proc = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'main.ts')],
        {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = proc;
      const keep = (chunk: Buffer): void => {
        tail.push(chunk.toString());
        while (tail.length > 400) tail.shift();
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      exited = new Promise((resolve) =>
        proc.once('exit', (code, signal) => {
          // In the output too, so that a failure message shows how an unexpected exit came about.
          keep(Buffer.from(`[gateway exited: code ${code}, signal ${signal}]\n`));
          resolve();
        }),
      );
      let gone = false;
      void exited.then(() => (gone = true));
      await eventually(
        'the gateway to be ready',
        async () => {
          if (gone) throw new Error(`the gateway exited during start-up: ${gw.output()}`);
          const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
          return res.status === 200;
        },
        90_000,
        100,
      ).catch((err: unknown) => {
        proc.kill('SIGKILL');
        throw err;
      });
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => tail.join('').slice(-200_000),
  };
  return gw;
}
