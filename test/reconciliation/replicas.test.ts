import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { startGateway, type TestGateway } from '../support/gateway';
import {
  QUIET_ENV,
  collect,
  createdAt,
  finished,
  pastHour,
  settled,
  sql,
  startReconciliationGateway,
  statusCalls,
  type RunBody,
} from './support/reconciliation';

/** Two replicas on one database and one MTN (the same API user): a run happens once. */
describe('reconciliation across replicas', () => {
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    a = await startReconciliationGateway();
    const creds = a.config.momo.credentials.collection!;
    b = await startGateway({
      db: a.db,
      sharedEmulator: a.emulator,
      env: { ...QUIET_ENV, MTN_MOMO_API_USER: creds.apiUser, MTN_MOMO_API_KEY: creds.apiKey },
    });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('runs one reconciliation when both replicas are asked for the same window at once', async () => {
    const ts = [await collect(a), await collect(b), await collect(a)];
    for (const t of ts) await settled(a, t.id);
    const w = pastHour(5);
    await createdAt(
      a,
      ts.map((t) => t.id),
      w.inside,
    );
    const body = { kind: 'window', from: w.from.toISOString(), to: w.to.toISOString() };
    const before = await Promise.all(ts.map((t) => statusCalls(a, t.id)));

    const [fromA, fromB] = await Promise.all([
      a.request<RunBody>('POST', '/v1/reconciliation/runs', body),
      b.request<RunBody>('POST', '/v1/reconciliation/runs', body),
    ]);
    expect([fromA.status, fromB.status]).toEqual([202, 202]);
    expect(fromA.body.id).toBe(fromB.body.id);
    expect([fromA.body.created, fromB.body.created].sort()).toEqual([false, true]);

    const run = await finished(a, fromA.body.id);
    expect(run).toMatchObject({ status: 'COMPLETED', progress: { processed: 3, total: 3 } });
    expect(run.outcomes.MATCHED).toBe(3);
    const runs = await sql(a, "SELECT id FROM reconciliation_runs WHERE kind = 'window'");
    expect(runs).toEqual([{ id: run.id }]);
    const after = await Promise.all(ts.map((t) => statusCalls(a, t.id)));
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 1]);
  });

  it("runs a schedule slot once whichever replica's cron fires first, even after it ended", async () => {
    // 10 s past a minute: the replicas' fire times below all round to that minute.
    const firedAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10_000);
    const [fromA, fromB] = await Promise.all([
      a.app.get(ReconciliationService).startScheduled('stale-pending', firedAt),
      b.app
        .get(ReconciliationService)
        .startScheduled('stale-pending', new Date(firedAt.getTime() + 50)),
    ]);
    const started = [fromA, fromB].filter((r) => r !== undefined);
    expect(started).toHaveLength(1);
    await finished(a, started[0]!.id);
    // The other replica's clock fires a little later: same slot, nothing new.
    await expect(
      b.app
        .get(ReconciliationService)
        .startScheduled('stale-pending', new Date(firedAt.getTime() + 400)),
    ).resolves.toBeUndefined();
    const runs = await sql(
      a,
      "SELECT triggered_by FROM reconciliation_runs WHERE kind = 'stale-pending'",
    );
    expect(runs).toEqual([{ triggered_by: 'schedule' }]);
  });

  it('starts a new run of a window once the previous one has ended', async () => {
    const w = pastHour(40);
    const body = { kind: 'window', from: w.from.toISOString(), to: w.to.toISOString() };
    const first = await a.request<RunBody>('POST', '/v1/reconciliation/runs', body);
    await finished(a, first.body.id);
    const second = await b.request<RunBody>('POST', '/v1/reconciliation/runs', body);
    expect(second.body.created).toBe(true);
    expect(second.body.id).not.toBe(first.body.id);
    await finished(a, second.body.id);
  });
});
