import { writeFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { childGateway, type ChildGateway } from './support/child-gateway';
import {
  mtnTransactions,
  reconcile,
  storedRows,
  violations,
  type Order,
} from './support/invariants';
import { placeOrders, type Answer } from './support/orders';
import { ownPostgres, type OwnPostgres } from './support/own-postgres';
import { eventually, FULL, prng, scaled, SEED } from './support/scale';

/**
 * (c) PostgreSQL stopped and started again under load. While it is down, callers get a clear 503
 * DATABASE_UNAVAILABLE with Retry-After (never a 500) and readiness fails; once it is back,
 * readiness recovers, and after reconciliation nothing was lost or doubled.
 */
describe(`resilience (c): the database restarted under load${FULL ? ' (full)' : ''}`, () => {
  let db: OwnPostgres;
  let emulator: RunningEmulator;
  let gw: ChildGateway;
  let orders: Order[];
  const answers: Answer[] = [];
  const readiness: number[] = [];
  // What the readers could not get an answer for (a failure's message shows the last few).
  const readerErrors: string[] = [];
  let readinessFell = false;
  let readinessRecovered = false;
  // Set by afterAll: the load and the readers stop even when beforeAll failed half-way.
  let finished = false;
  const started = new Date();

  beforeAll(async () => {
    db = await ownPostgres();
    emulator = await startEmulator({ port: 0, seed: SEED, processingDelayMs: 100 });
    gw = await childGateway({ databaseUrl: db.url, emulator });
    await gw.start();
    const headers = { authorization: `Bearer ${gw.apiKey}` };

    let loadDone = false;
    let outageDone = false;
    const load = placeOrders({
      url: gw.url,
      apiKey: gw.apiKey,
      orders: scaled(40, 300),
      concurrency: 6,
      random: prng(SEED + 4),
      prefix: 'DBDOWN',
      orderDeadlineMs: 120_000,
      onAnswer: (a) => answers.push(a),
    }).finally(() => (loadDone = true));
    const running = () => !finished && (!loadDone || !outageDone);
    const failure = (what: string) => (err: unknown) => {
      // fetch says only "fetch failed"; its cause says why (refused, reset, timed out). Duck-typed:
      // errors made inside Node's fetch are not instances of the test realm's Error.
      const e = err as { message?: string; cause?: { message?: string } } | undefined;
      readerErrors.push(`${what}: ${e?.message ?? String(err)} (${e?.cause?.message ?? ''})`);
      return undefined;
    };
    // Readers too: lists keep hitting the gateway through the outage (and after the orders are
    // done, until the last outage is over) …
    const readers = (async () => {
      while (running()) {
        const list = await fetch(`${gw.url}/v1/collections?limit=5`, {
          headers,
          signal: AbortSignal.timeout(10_000),
        }).catch(failure('list'));
        if (list) {
          const body = (await list.json().catch(() => ({}))) as { code?: string };
          answers.push({
            route: '/v1/collections',
            status: list.status,
            code: body.code,
            retryAfter: list.headers.get('retry-after'),
          });
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // … and, on their own pace (a slow list never delays a probe), the readiness probe.
    const probes = (async () => {
      while (running()) {
        const ready = await fetch(`${gw.url}/health/ready`, {
          signal: AbortSignal.timeout(10_000),
        }).catch(failure('ready'));
        if (ready) readiness.push(ready.status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Why a probe condition was not reached: whether the gateway still runs, what it last said.
    const explained = (err: Error): never => {
      throw new Error(
        `${err.message}; gateway ${gw.pid ? 'running' : 'gone'}; last readiness ` +
          `[${readiness.slice(-5).join(',')}]; reader errors [${readerErrors.slice(-5).join(' | ')}]; ` +
          `gateway output: ${gw.output().slice(-3000)}`,
      );
    };
    const outage = (async () => {
      const random = prng(SEED + 5);
      const rounds = scaled(1, 3);
      for (let k = 0; k < rounds && !loadDone; k++) {
        // Let some orders through first (condition, bounded), then pull the database away.
        const before = answers.filter((a) => a.status === 202).length;
        await eventually(
          'some orders to be accepted',
          () =>
            loadDone ||
            answers.filter((a) => a.status === 202).length >= before + 3 + Math.floor(random() * 5),
          60_000,
          20,
        );
        if (loadDone) break;
        await db.pg.stop();
        await eventually('readiness to fall', () => readiness.at(-1) === 503, 60_000, 20).catch(
          explained,
        );
        readinessFell = true;
        // Down until callers have been told so a few times.
        const refused = answers.filter((a) => a.status === 503).length;
        await eventually(
          'callers to be told the database is down',
          () => answers.filter((a) => a.status === 503).length >= refused + 3,
          30_000,
          20,
        );
        await db.pg.start();
        await eventually('readiness to recover', () => readiness.at(-1) === 200, 60_000, 20).catch(
          explained,
        );
        readinessRecovered = true;
      }
    })().finally(() => (outageDone = true));
    [orders] = await Promise.all([load, outage, readers, probes]);

    await emulator.callbacksIdle();
    const run = await reconcile(gw.url, gw.apiKey, started);
    expect(run.status).toBe('COMPLETED');
  }, 600_000);

  afterAll(async () => {
    finished = true;
    // RESILIENCE_DUMP=<file>: keep the gateway's last output for a failure's post-mortem.
    if (process.env.RESILIENCE_DUMP) writeFileSync(process.env.RESILIENCE_DUMP, gw?.output() ?? '');
    await gw?.stop();
    await emulator?.stop();
    await db?.pg.stop();
    db?.remove();
  });

  it('took readiness down while the database was away, and back up after', () => {
    expect({ readinessFell, readinessRecovered }).toEqual({
      readinessFell: true,
      readinessRecovered: true,
    });
  });

  it('answered the outage with 503 DATABASE_UNAVAILABLE and Retry-After, never a 500', () => {
    const serverErrors = answers.filter((a) => a.status >= 500);
    expect(serverErrors.length).toBeGreaterThan(0);
    const unclear = serverErrors.filter(
      (a) => !(a.status === 503 && a.code === 'DATABASE_UNAVAILABLE' && a.retryAfter !== null),
    );
    // MTN-side 503s cannot happen here (the emulator has no faults), so every 5xx is the database's.
    expect(unclear).toEqual([]);
  });

  it('lost nothing and doubled nothing, and every transaction is final and equal to MTN’s', async () => {
    const rows = await storedRows(db.url);
    expect(
      violations(rows, mtnTransactions(emulator, gw.apiUser), orders, { final: true }),
    ).toEqual([]);
  });

  it('accepted every order in the end', () => {
    expect(
      orders
        .filter((o) => o.accepted.length === 0)
        .map((o) => `${o.externalId}: ${o.statuses.join(',')}`),
    ).toEqual([]);
  });
});
