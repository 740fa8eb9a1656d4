import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { ROOT, freePort, spawnCompiled, waitForHttp, type BenchProcess } from './processes';

/**
 * The pieces every bench phase stands on: one PostgreSQL (its own temp data folder, production
 * durability: fsync and synchronous_commit on, the embedded launcher's defaults), the emulator in
 * a process of its own, and helpers to start a gateway or the baseline on a fresh database.
 */
export interface BenchPostgres {
  pg: EmbeddedPostgres;
  adminUrl: string;
  dir: string;
  /** A new empty database; `migrate` applies the gateway's migrations. */
  createDatabase(name: string, migrate: boolean): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(dir: string): Promise<BenchPostgres> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  const pg = new EmbeddedPostgres({
    dataDir: path.join(dir, 'pgdata'),
    port: await freePort(),
    settings: { fsync: 'on', synchronous_commit: 'on' },
  });
  await pg.start();
  const adminUrl = pg.url();
  return {
    pg,
    adminUrl,
    dir,
    async createDatabase(name, migrate) {
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = pg.url(name);
      if (migrate) await runMigrations(url);
      return url;
    },
    stop: () => pg.stop(),
  };
}

export interface BenchEmulator {
  proc: BenchProcess;
  url: string;
  subscriptionKeys: Record<'collection' | 'disbursement' | 'remittance', string>;
  admin(method: string, route: string, body?: unknown): Promise<unknown>;
  counters(reset?: boolean): Promise<EmulatorCounters>;
}

export interface EmulatorCounters {
  requests: Record<string, { total: number; byStatus: Record<string, number> }>;
  distinctCreateRefs: number;
  duplicateCreates: number;
  transactions: number;
}

export async function startEmulatorProcess(logFile?: string): Promise<BenchEmulator> {
  const proc = spawnCompiled('emulator', 'bench/emulator/process.ts', { logFile });
  const ready = new Promise<void>((resolve, reject) => {
    proc.child.on('message', (m: unknown) => {
      if ((m as { bench?: unknown } | null)?.bench === 'ready') resolve();
    });
    void proc.exited.then(() => reject(new Error('the emulator exited during start-up')));
  });
  await ready;
  const info = await proc.ipc.call<{
    url: string;
    subscriptionKeys: BenchEmulator['subscriptionKeys'];
  }>('info');
  return {
    proc,
    url: info.url,
    subscriptionKeys: info.subscriptionKeys,
    async admin(method, route, body) {
      const res = await fetch(`${info.url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 400) throw new Error(`emulator ${method} ${route}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
    counters: (reset = false) => proc.ipc.call<EmulatorCounters>('counters', { reset }),
  };
}

/** Sum of one request kind (e.g. `collection create`) by HTTP status. */
export function countOf(c: EmulatorCounters, kind: string, status?: number): number {
  const entry = c.requests[kind];
  if (!entry) return 0;
  return status === undefined ? entry.total : (entry.byStatus[String(status)] ?? 0);
}

export interface BenchGateway {
  proc: BenchProcess;
  url: string;
  /** The MTN API user it calls as. */
  apiUser: string;
  /** Its stdout/stderr (JSON log lines). */
  logFile?: string;
  databaseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
}

/**
 * An API key with every scope, created with whatever `src/auth` exposes (its store, the same one
 * the CLI uses); undefined when this checkout has no API-key auth yet.
 */
export async function createApiKey(databaseUrl: string): Promise<string | undefined> {
  let scopes: readonly string[];
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- optional: absent before API-key auth lands */
    const { ApiKeyStore } = require('../../src/auth/api-key.store') as {
      ApiKeyStore: new (ds: unknown) => {
        create(input: {
          name: string;
          scopes: readonly string[];
          rateLimitPerMinute: number;
        }): Promise<{ key: string }>;
      };
    };
    scopes = (require('../../src/auth/api-key.scopes') as { API_KEY_SCOPES: readonly string[] })
      .API_KEY_SCOPES;
    const { DataSource } = require('typeorm') as typeof import('typeorm');
    const { typeOrmOptions } =
      require('../../src/database/typeorm-options') as typeof import('../../src/database/typeorm-options');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const ds = new DataSource(typeOrmOptions(databaseUrl, 1));
    await ds.initialize();
    try {
      const created = await new ApiKeyStore(ds).create({
        name: `bench-${Date.now()}`,
        scopes,
        rateLimitPerMinute: 1_000_000,
      });
      return created.key;
    } finally {
      await ds.destroy();
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * The node flags production runs the gateway with: those of package.json's `start:prod` (which
 * the Dockerfile's CMD repeats), e.g. the heap limit. The bench measures the service as deployed.
 */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts['start:prod'] ?? '').split(/\s+/).filter(Boolean);
  if (words[0] !== 'node') throw new Error('package.json start:prod must start with node');
  return words.slice(1).filter((w) => w.startsWith('--'));
}

export interface GatewayStartOptions {
  name: string;
  databaseUrl: string;
  emulator: BenchEmulator;
  env?: Record<string, string>;
  logFile?: string;
  nodeFlags?: string[];
}

export async function startGatewayProcess(o: GatewayStartOptions): Promise<BenchGateway> {
  const user = await o.emulator.proc.ipc.call<{ apiUser: string; apiKey: string }>(
    'createApiUser',
    { providerCallbackHost: '127.0.0.1' },
  );
  const apiKey = await createApiKey(o.databaseUrl);
  const port = await freePort();
  const keys = o.emulator.subscriptionKeys;
  const proc = spawnCompiled(o.name, 'src/main.ts', {
    introspect: true,
    logFile: o.logFile,
    // Later flags win: an experiment's --gateway-node-flags overrides production's.
    nodeFlags: [...productionNodeFlags(), ...(o.nodeFlags ?? [])],
    env: {
      BENCH_NEST: '1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'true',
      LOG_PRETTY: 'false',
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
      MTN_MOMO_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
      ...(o.env ?? {}),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/ready`, proc);
  return {
    proc,
    url,
    apiUser: user.apiUser,
    logFile: o.logFile,
    databaseUrl: o.databaseUrl,
    apiKey,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
  };
}

export interface BenchBaseline {
  proc: BenchProcess;
  url: string;
  databaseUrl: string;
}

export async function startBaselineProcess(
  databaseUrl: string,
  emulator: BenchEmulator,
): Promise<BenchBaseline> {
  const user = await emulator.proc.ipc.call<{ apiUser: string; apiKey: string }>('createApiUser', {
    providerCallbackHost: '127.0.0.1',
  });
  const port = await freePort();
  const proc = spawnCompiled('baseline', 'bench/baseline/server.ts', {
    introspect: true,
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MOMO_URL: emulator.url,
      MOMO_SUBSCRIPTION_KEY: emulator.subscriptionKeys.collection,
      MOMO_API_USER: user.apiUser,
      MOMO_API_KEY: user.apiKey,
      CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/collections?limit=1`, proc);
  return { proc, url, databaseUrl };
}

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'momo-bench-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}
