import { randomUUID } from 'node:crypto';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import type { TestGateway } from '../support/gateway';
import {
  collectLosingCallbacks,
  createdAt,
  finished,
  sql,
  startReconciliationGateway,
  statusCalls,
  type RunBody,
} from './support/reconciliation';

const MINUTE = 60_000;

/** Runs whose replica died, and the stale-PENDING run the cron starts. */
describe('reconciliation recovery and stale PENDING', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startReconciliationGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  const service = () => gw.app.get(ReconciliationService);

  /** Collections whose callbacks never came: PENDING here, SUCCESSFUL at MTN. */
  async function lostCallbacks(n: number): Promise<string[]> {
    return (await collectLosingCallbacks(gw, n)).map((t) => t.id);
  }

  /** A run row as a replica that died left it. */
  async function deadRun(fields: {
    windowKey: string;
    kind: string;
    windowTo: Date;
    windowFrom?: Date;
    resumedCount?: number;
    heartbeatAgoMs?: number;
    cursor?: { id: string; createdAt: Date };
    processed?: number;
    total?: number;
  }): Promise<string> {
    const id = randomUUID();
    await sql(
      gw,
      `INSERT INTO reconciliation_runs (id, kind, triggered_by, window_key, window_from, window_to, status, total, processed,
         owner, resumed_count, cursor_product, cursor_created_at, cursor_id, started_at, heartbeat_at)
       VALUES ($1, $2, 'schedule', $3, $4, $5, 'RUNNING', $6, $7, 'dead-replica:1:0000', $8, $9, $10, $11,
         now(), now() - $12 * interval '1 millisecond')`,
      [
        id,
        fields.kind,
        fields.windowKey,
        fields.windowFrom?.toISOString() ?? null,
        fields.windowTo.toISOString(),
        fields.total ?? 0,
        fields.processed ?? 0,
        fields.resumedCount ?? 0,
        fields.cursor ? 'collection' : null,
        fields.cursor?.createdAt.toISOString() ?? null,
        fields.cursor?.id ?? null,
        fields.heartbeatAgoMs ?? 3_600_000,
      ],
    );
    return id;
  }

  it('repairs only the PENDING older than the threshold in a stale-PENDING run', async () => {
    const [old, young] = await lostCallbacks(2);
    await createdAt(gw, [old!], new Date(Date.now() - 10 * MINUTE));
    const run = await service().startScheduled('stale-pending', new Date());
    expect(run).toBeDefined();
    expect(run!.total).toBe(1);
    const done = await finished(gw, run!.id);
    expect(done).toMatchObject({ status: 'COMPLETED', progress: { processed: 1, total: 1 } });
    expect(done.discrepancies).toEqual([
      expect.objectContaining({ transactionId: old, outcome: 'REPAIRED' }),
    ]);
    expect((await gw.request('GET', `/v1/collections/${young}`)).body.status).toBe('PENDING');
    expect(await statusCalls(gw, young!)).toBe(0);
    // Leave nothing PENDING and stale for the next tests.
    await createdAt(gw, [young!], new Date(Date.now() - 10 * MINUTE));
    await finished(gw, (await service().start({ kind: 'stale-pending' }, 'api')).run.id);
  });

  it("resumes a dead replica's run after its last finished record", async () => {
    const ids = await lostCallbacks(3);
    const now = Date.now();
    const times = [30, 20, 10].map((m) => new Date(now - m * MINUTE));
    for (const [i, id] of ids.entries()) await createdAt(gw, [id], times[i]!);
    // The dead replica had finished the first record (its outcome counted) when it stopped.
    const runId = await deadRun({
      kind: 'stale-pending',
      windowKey: 'stale-pending',
      windowTo: new Date(now - 5 * MINUTE),
      cursor: { id: ids[0]!, createdAt: times[0]! },
      processed: 1,
      total: 3,
    });
    await sql(
      gw,
      "INSERT INTO reconciliation_run_counts (run_id, product, country, outcome, count) VALUES ($1, 'collection', 'UG', 'REPAIRED', 1)",
      [runId],
    );

    // While it is stale, asking for the same window answers that run.
    const asked = await gw.request<RunBody>('POST', '/v1/reconciliation/runs', {
      kind: 'stale-pending',
    });
    expect(asked.body).toMatchObject({ id: runId, created: false });

    const recovered = await service().recoverStale();
    expect(recovered.resumed).toContain(runId);
    const done = await finished(gw, runId);
    expect(done).toMatchObject({
      status: 'COMPLETED',
      resumedCount: 1,
      progress: { processed: 3, total: 3 },
    });
    expect(done.statusReason).toMatch(
      /^resumed by .* at record 1 of 3: replica dead-replica:1:0000 stopped heartbeating/,
    );
    expect(done.outcomes.REPAIRED).toBe(3);
    expect(await statusCalls(gw, ids[0]!)).toBe(0);
    expect(await Promise.all(ids.slice(1).map((id) => statusCalls(gw, id)))).toEqual([1, 1]);
    expect((await gw.request('GET', `/v1/collections/${ids[1]}`)).body.status).toBe('SUCCESSFUL');
  });

  it('closes a run as ABANDONED, with the reason, once it has been resumed too often', async () => {
    const to = new Date(Date.now() - 48 * 3_600_000);
    const runId = await deadRun({
      kind: 'window',
      windowKey: `window:abandon-${randomUUID()}`,
      windowFrom: new Date(to.getTime() - 3_600_000),
      windowTo: to,
      resumedCount: gw.config.reconciliation.maxResumes,
      processed: 7,
      total: 10,
    });
    const recovered = await service().recoverStale();
    expect(recovered.abandoned).toContain(runId);
    const run = await gw.request<RunBody>('GET', `/v1/reconciliation/runs/${runId}`);
    expect(run.body).toMatchObject({
      status: 'ABANDONED',
      finishedAt: expect.any(String),
      progress: { processed: 7, total: 10 },
    });
    expect(run.body.statusReason).toMatch(
      /^abandoned: replica dead-replica:1:0000 stopped heartbeating at .* after 7 of 10 records/,
    );
  });

  it('leaves a run whose replica is alive alone', async () => {
    const to = new Date(Date.now() - 72 * 3_600_000);
    const runId = await deadRun({
      kind: 'window',
      windowKey: `window:alive-${randomUUID()}`,
      windowFrom: new Date(to.getTime() - 3_600_000),
      windowTo: to,
      heartbeatAgoMs: 1000,
    });
    const recovered = await service().recoverStale();
    expect([...recovered.resumed, ...recovered.abandoned]).not.toContain(runId);
    expect((await gw.request<RunBody>('GET', `/v1/reconciliation/runs/${runId}`)).body.status).toBe(
      'RUNNING',
    );
    await sql(
      gw,
      "UPDATE reconciliation_runs SET status = 'COMPLETED', finished_at = now() WHERE id = $1",
      [runId],
    );
  });
});
