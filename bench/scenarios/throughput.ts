import * as fs from 'node:fs';
import { Client } from 'pg';
import { measure, until, type Measured } from '../support/measure';
import type { BenchBaseline, BenchEmulator, BenchGateway } from '../support/stack';
import { UG, type BenchSettings } from './settings';

export interface Pair {
  gateway: Measured;
  baseline: Measured;
}

export interface CallbackPass extends Measured {
  /** Distinct PENDING transactions whose callback was posted. */
  distinct: number;
  /** Of those, how many the server had confirmed with MTN and made final when the drain ended. */
  finalized: number;
  /** From the first callback to the last transaction made final. */
  drainS: number;
  processedPerSec: number;
  /** Gateway only: confirmations that failed after the 200, by error (from its log). */
  handlingFailures?: Record<string, number>;
}

export interface ThroughputResults {
  create: Pair;
  createHalfRate: Pair;
  /** One connection: each request alone, the service time without queueing. */
  createAlone: Pair;
  read: Pair;
  list: Pair;
  callback: { gateway: CallbackPass; baseline: CallbackPass };
}

interface Ctx {
  /** Set: CPU-profile the gateway's passes into this folder. */
  profileDir?: string;
  settings: BenchSettings;
  emulator: BenchEmulator;
  gateway: BenchGateway;
  baseline: BenchBaseline;
}

const collection = (prefix: string) => ({ kind: 'collection' as const, prefix, ...UG });

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * Create, read by id, list, callbacks: each on the gateway and on the baseline with the same
 * load, so the two figures sit side by side. Creates run twice: flat out (peak), then at a fixed
 * rate of half that peak, where latency is judged.
 */
export async function runThroughput(ctx: Ctx): Promise<ThroughputResults> {
  const { settings: s, emulator, gateway, baseline } = ctx;
  const C = s.connections;
  const gwCreate = {
    method: 'POST' as const,
    paths: ['/v1/collections'],
    headers: gateway.headers,
    connections: C,
  };
  const blCreate = { method: 'POST' as const, paths: ['/collections'], connections: C };

  process.stdout.write('create (request to pay)\n');
  await measure('warm-up gateway', gateway, emulator, {
    ...gwCreate,
    body: collection('WARM_G'),
    connections: 16,
    durationS: s.warmupS,
  });
  await measure('warm-up baseline', baseline, emulator, {
    ...blCreate,
    body: collection('WARM_B'),
    connections: 16,
    durationS: s.warmupS,
  });
  const aloneGw = await measure('create: gateway, 1 connection', gateway, emulator, {
    ...gwCreate,
    body: collection('ALONE_G'),
    connections: 1,
    durationS: s.aloneS,
  });
  const aloneBl = await measure('create: baseline, 1 connection', baseline, emulator, {
    ...blCreate,
    body: collection('ALONE_B'),
    connections: 1,
    durationS: s.aloneS,
  });
  const prof = (name: string): string | undefined =>
    ctx.profileDir ? `${ctx.profileDir}/${name}.cpuprofile` : undefined;
  const createGw = await measure(
    'create: gateway, peak',
    gateway,
    emulator,
    { ...gwCreate, body: collection('PEAK_G'), durationS: s.peakS },
    prof('create'),
  );
  const createBl = await measure('create: baseline, peak', baseline, emulator, {
    ...blCreate,
    body: collection('PEAK_B'),
    durationS: s.peakS,
  });
  const halfGw = await measure('create: gateway, 50% of peak', gateway, emulator, {
    ...gwCreate,
    body: collection('HALF_G'),
    durationS: s.halfRateS,
    overallRate: Math.max(1, Math.round(createGw.load.requestsPerSec / 2)),
  });
  const halfBl = await measure('create: baseline, 50% of peak', baseline, emulator, {
    ...blCreate,
    body: collection('HALF_B'),
    durationS: s.halfRateS,
    overallRate: Math.max(1, Math.round(createBl.load.requestsPerSec / 2)),
  });

  process.stdout.write('read by id\n');
  const gwIds = await query<{ id: string }>(
    gateway.databaseUrl,
    "SELECT id FROM momo_transactions WHERE product = 'collection' ORDER BY random() LIMIT 5000",
  );
  const blIds = await query<{ id: string }>(
    baseline.databaseUrl,
    'SELECT id FROM baseline_tx ORDER BY random() LIMIT 5000',
  );
  const readGw = await measure(
    'read: gateway',
    gateway,
    emulator,
    {
      method: 'GET',
      paths: gwIds.map((r) => `/v1/collections/${r.id}`),
      body: { kind: 'none' },
      headers: gateway.headers,
      connections: C,
      durationS: s.readS,
    },
    prof('read'),
  );
  const readBl = await measure('read: baseline', baseline, emulator, {
    method: 'GET',
    paths: blIds.map((r) => `/collections/${r.id}`),
    body: { kind: 'none' },
    connections: C,
    durationS: s.readS,
  });

  process.stdout.write('list (first page of 50)\n');
  const listGw = await measure(
    'list: gateway',
    gateway,
    emulator,
    {
      method: 'GET',
      paths: ['/v1/collections?limit=50'],
      body: { kind: 'none' },
      headers: gateway.headers,
      connections: C,
      durationS: s.listS,
    },
    prof('list'),
  );
  const listBl = await measure('list: baseline', baseline, emulator, {
    method: 'GET',
    paths: ['/collections?limit=50'],
    body: { kind: 'none' },
    connections: C,
    durationS: s.listS,
  });

  process.stdout.write('callback ingestion (then confirmed with MTN)\n');
  const gwPending = await query<{ id: string; callback_token: string }>(
    gateway.databaseUrl,
    "SELECT id, callback_token FROM momo_transactions WHERE product = 'collection' AND status = 'PENDING' LIMIT 3000",
  );
  const blPending = await query<{ id: string; callback_token: string }>(
    baseline.databaseUrl,
    "SELECT id, callback_token FROM baseline_tx WHERE status = 'PENDING' LIMIT 3000",
  );
  const cbGw = await callbackPass(
    'callback: gateway',
    ctx,
    gateway,
    gwPending,
    (r) => `/v1/webhooks/mtn/collection/${r.id}/${r.callback_token}`,
    'momo_transactions',
  );
  const cbBl = await callbackPass(
    'callback: baseline',
    ctx,
    baseline,
    blPending,
    (r) => `/webhooks/${r.id}/${r.callback_token}`,
    'baseline_tx',
  );

  return {
    create: { gateway: createGw, baseline: createBl },
    createHalfRate: { gateway: halfGw, baseline: halfBl },
    createAlone: { gateway: aloneGw, baseline: aloneBl },
    read: { gateway: readGw, baseline: readBl },
    list: { gateway: listGw, baseline: listBl },
    callback: { gateway: cbGw, baseline: cbBl },
  };
}

/** MTN's callback body for a successful request to pay (the servers never trust it). */
const CALLBACK_BODY = JSON.stringify({
  financialTransactionId: '1234567890',
  externalId: 'X',
  amount: '1000',
  currency: 'EUR',
  payer: { partyIdType: 'MSISDN', partyId: '256771000000' },
  payerMessage: '',
  payeeNote: '',
  status: 'SUCCESSFUL',
});

async function callbackPass(
  label: string,
  ctx: Ctx,
  server: { proc: BenchGateway['proc']; url: string; databaseUrl: string; logFile?: string },
  rows: Array<{ id: string; callback_token: string }>,
  pathOf: (r: { id: string; callback_token: string }) => string,
  table: string,
): Promise<CallbackPass> {
  const started = Date.now();
  const measured = await measure(label, server, ctx.emulator, {
    method: 'POST',
    paths: rows.map(pathOf),
    body: { kind: 'static', text: CALLBACK_BODY },
    connections: ctx.settings.connections,
    durationS: ctx.settings.callbackS,
  });
  const posted = rows.slice(0, Math.min(rows.length, measured.load.completed));
  const ids = posted.map((r) => r.id);
  const c = new Client({ connectionString: server.databaseUrl });
  await c.connect();
  let finalized = 0;
  let lastChange = Date.now();
  let finishedAt = Date.now();
  try {
    await until(
      async () => {
        const r = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} WHERE id = ANY($1::uuid[]) AND status <> 'PENDING'`,
          [ids],
        );
        const n = Number(r.rows[0]?.n ?? 0);
        if (n !== finalized) {
          finalized = n;
          lastChange = Date.now();
          finishedAt = lastChange;
        }
        // Done when all are final, or nothing moved for 5 s (the rest were lost or refused).
        return n >= ids.length || Date.now() - lastChange > 5000;
      },
      120_000,
      100,
    );
  } finally {
    await c.end();
  }
  const drainS = Math.max(0.001, (finishedAt - started) / 1000);
  const handlingFailures = server.logFile ? failuresInLog(server.logFile, started) : undefined;
  const result: CallbackPass = {
    ...measured,
    ...(handlingFailures ? { handlingFailures } : {}),
    distinct: ids.length,
    finalized,
    drainS,
    processedPerSec: Math.round((finalized / drainS) * 10) / 10,
  };
  process.stdout.write(
    `  ${label}: ${finalized}/${ids.length} confirmed and final after ${drainS.toFixed(1)} s (${result.processedPerSec}/s)` +
      (handlingFailures ? `; confirmations that failed: ${JSON.stringify(handlingFailures)}` : '') +
      '\n',
  );
  return result;
}

/** The gateway's "callback handling failed" log lines since `since`, counted by error message. */
function failuresInLog(file: string, since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('callback handling failed')) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; err?: unknown };
      if ((entry.time ?? 0) < since) continue;
      const key = (
        typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err ?? 'unknown')
      ).slice(0, 120);
      counts[key] = (counts[key] ?? 0) + 1;
    } catch {
      // not a JSON line
    }
  }
  return counts;
}
