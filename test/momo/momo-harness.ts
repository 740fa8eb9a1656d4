import type { LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import type { EmulatorOptions } from '../../src/emulator/options';
import { MomoClient } from '../../src/momo/client/momo-client';
import { MomoModule } from '../../src/momo/momo.module';
import { DatabaseModule } from '../../src/database/database.module';
import { MOMO_CLOCK, MOMO_RANDOM, MOMO_SLEEPER, type Sleeper } from '../../src/momo/time/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(private current = Date.parse('2026-11-26T10:00:00Z')) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export const silentLogger: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
};

export interface ProvisionedUser {
  apiUser: string;
  apiKey: string;
}

/** Provisions an API user and key over HTTP, the way MTN's sandbox is provisioned. */
export async function provisionApiUser(
  emulator: RunningEmulator,
  providerCallbackHost: string,
): Promise<ProvisionedUser> {
  const apiUser = randomUUID();
  const key = emulator.subscriptionKeys.collection;
  const created = await fetch(`${emulator.url}/v1_0/apiuser`, {
    method: 'POST',
    headers: {
      'X-Reference-Id': apiUser,
      'Ocp-Apim-Subscription-Key': key,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ providerCallbackHost }),
  });
  if (created.status !== 201)
    throw new Error(`provisioning the API user answered ${created.status}`);
  const keyed = await fetch(`${emulator.url}/v1_0/apiuser/${apiUser}/apikey`, {
    method: 'POST',
    headers: { 'Ocp-Apim-Subscription-Key': key, 'Content-Length': '0' },
  });
  if (keyed.status !== 201) throw new Error(`creating the API key answered ${keyed.status}`);
  const { apiKey } = (await keyed.json()) as { apiKey: string };
  return { apiUser, apiKey };
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  status?: number;
  headers: Record<string, string | undefined>;
}

/** The emulator's request log, over its control API. */
export async function emulatorRequests(
  emulator: RunningEmulator,
  filter: Record<string, string> = {},
): Promise<RequestLogEntry[]> {
  const response = await fetch(
    `${emulator.url}/_emulator/requests?${new URLSearchParams(filter).toString()}`,
  );
  return (await response.json()) as RequestLogEntry[];
}

export async function addFault(
  emulator: RunningEmulator,
  fault: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (response.status !== 201)
    throw new Error(`adding a fault answered ${response.status}: ${await response.text()}`);
}

export async function clearFaults(emulator: RunningEmulator): Promise<void> {
  await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
}

export interface HarnessOptions {
  /** Extra environment on top of the emulator's; wins over it. */
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  /** The host the API user is provisioned for; the callback base URL's host by default. */
  providerCallbackHost?: string;
  /** Default: records the wait and returns at once. */
  sleeper?: Sleeper;
  logger?: LoggerService;
  /** Reuse an emulator and database (the caller stops them). */
  shared?: { emulator: RunningEmulator; db: TestDatabase; user: ProvisionedUser };
}

export interface Harness {
  emulator: RunningEmulator;
  db: TestDatabase;
  user: ProvisionedUser;
  config: AppConfig;
  moduleRef: TestingModule;
  client: MomoClient;
  clock: ManualClock;
  sleeps: number[];
  close(): Promise<void>;
}

export const CALLBACK_HOST = 'gateway.test';

/**
 * The gateway's MTN plumbing as the application wires it (config, TypeORM on a fresh migrated
 * database, MomoModule) against a running emulator, with the clock and sleeper in the test's hands.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator =
    options.shared?.emulator ?? (await startEmulator({ port: 0, ...options.emulator }));
  const db = options.shared?.db ?? (await createTestDatabase());
  const user =
    options.shared?.user ??
    (await provisionApiUser(emulator, options.providerCallbackHost ?? CALLBACK_HOST));
  const config = loadConfig({
    MTN_MOMO_ENVIRONMENT: 'sandbox',
    MTN_MOMO_BASE_URL: emulator.url,
    MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY: emulator.subscriptionKeys.collection,
    MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: emulator.subscriptionKeys.disbursement,
    MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY: emulator.subscriptionKeys.remittance,
    MTN_MOMO_API_USER: user.apiUser,
    MTN_MOMO_API_KEY: user.apiKey,
    MTN_MOMO_CALLBACK_BASE_URL: `https://${CALLBACK_HOST}`,
    MTN_MOMO_TIMEOUT_MS: '2000',
    MTN_MOMO_RETRY_BASE_DELAY_MS: '1',
    MTN_MOMO_RATE_LIMIT_PER_MINUTE: '100000',
    DATABASE_URL: db.url,
    ...options.env,
  });
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const sleeper: Sleeper =
    options.sleeper ??
    ((ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule,
      MomoModule,
    ],
  })
    .overrideProvider(MOMO_CLOCK)
    .useValue(clock)
    .overrideProvider(MOMO_SLEEPER)
    .useValue(sleeper)
    .overrideProvider(MOMO_RANDOM)
    .useValue(() => 0.5)
    .setLogger(options.logger ?? silentLogger)
    .compile();
  await moduleRef.init();
  return {
    emulator,
    db,
    user,
    config,
    moduleRef,
    client: moduleRef.get(MomoClient),
    clock,
    sleeps,
    close: async () => {
      await moduleRef.close();
      if (!options.shared) {
        await emulator.stop();
        await db.drop();
      }
    },
  };
}
