import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { childGateway, type ChildGateway } from './support/child-gateway';
import {
  mtnTransactions,
  reconcile,
  storedRows,
  violations,
  type Order,
} from './support/invariants';
import { placeOrders } from './support/orders';
import { FULL, prng, scaled, SEED } from './support/scale';

/**
 * (b) The gateway process SIGKILLed at seeded random moments under load (mid-insert, mid-call to
 * MTN, mid-callback), started again each time, then reconciled: every 202 is stored, everything MTN
 * holds is stored, nothing is paid twice, and every transaction ends final and equal to MTN's.
 */
describe(`resilience (b): gateway crashes under load${FULL ? ' (full)' : ''}`, () => {
  let db: TestDatabase;
  let emulator: RunningEmulator;
  let gw: ChildGateway;
  let orders: Order[];
  let kills = 0;
  const started = new Date();

  beforeAll(async () => {
    db = await createTestDatabase();
    // Transactions stay PENDING at MTN for a moment, so kills also land between create and callback.
    emulator = await startEmulator({ port: 0, seed: SEED, processingDelayMs: 150 });
    gw = await childGateway({ databaseUrl: db.url, emulator });
    await gw.start();

    // The kills land at seeded points of the load (after the n-th order settles, while the other
    // workers are mid-request), not at moments of the clock: however fast the gateway, every
    // planned kill happens under load.
    const random = prng(SEED + 2);
    const orderCount = scaled(40, 400);
    const plannedKills = scaled(2, 6);
    const milestones = new Set<number>();
    while (milestones.size < plannedKills) milestones.add(1 + Math.floor(random() * (orderCount - 2)));
    let chaos = Promise.resolve();
    const load = placeOrders({
      url: gw.url,
      apiKey: gw.apiKey,
      orders: orderCount,
      concurrency: 6,
      random: prng(SEED + 3),
      prefix: 'CRASH',
      orderDeadlineMs: 120_000,
      onSettled: (settled) => {
        if (!milestones.has(settled)) return;
        chaos = chaos.then(async () => {
          await gw.kill();
          kills++;
          await gw.start();
        });
      },
    });
    orders = await load;
    await chaos;

    await emulator.callbacksIdle();
    const run = await reconcile(gw.url, gw.apiKey, started);
    expect(run.status).toBe('COMPLETED');
  }, 600_000);

  afterAll(async () => {
    await gw?.stop();
    await emulator?.stop();
    await db?.drop();
  });

  it('was killed under load and came back each time', () => {
    expect(kills).toBeGreaterThan(0);
    expect(orders.filter((o) => o.statuses.includes(0)).length).toBeGreaterThan(0);
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
