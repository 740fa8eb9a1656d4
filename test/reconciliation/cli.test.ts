import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { EXIT, runReconcile, type ReconcileIo } from '../../src/cli/reconcile.command';
import type { TestGateway } from '../support/gateway';
import {
  collectLosingCallback,
  createdAt,
  pastHour,
  startReconciliationGateway,
} from './support/reconciliation';

class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** The `reconcile` command against the suite's database and emulator, as an operator runs it. */
describe('reconcile (CLI)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startReconciliationGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  /** What an operator's shell would hold: the gateway's database and MTN settings. */
  function env(): NodeJS.ProcessEnv {
    const creds = gw.config.momo.credentials;
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: gw.db.url,
      MTN_MOMO_ENVIRONMENT: 'sandbox',
      MTN_MOMO_BASE_URL: gw.emulator.url,
      MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY: creds.collection!.subscriptionKey,
      MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: creds.disbursement!.subscriptionKey,
      MTN_MOMO_REMITTANCE_SUBSCRIPTION_KEY: creds.remittance!.subscriptionKey,
      MTN_MOMO_API_USER: creds.collection!.apiUser,
      MTN_MOMO_API_KEY: creds.collection!.apiKey,
      MTN_MOMO_RETRY_BASE_DELAY_MS: '10',
    };
  }

  function io(
    stdout: Capture,
    stderr = new Capture(),
    extra: Partial<ReconcileIo> = {},
  ): ReconcileIo {
    return { env: env(), stdout, stderr, pollMs: 20, ...extra };
  }

  async function lostCallback(
    hoursAgo: number,
  ): Promise<{ id: string; window: ReturnType<typeof pastHour> }> {
    const t = await collectLosingCallback(gw);
    const window = pastHour(hoursAgo);
    await createdAt(gw, [t.id], window.inside);
    return { id: t.id, window };
  }

  it('runs a reconciliation end to end and prints plain progress lines and the summary', async () => {
    const { id, window } = await lostCallback(3);
    const out = new Capture(false);
    const code = await runReconcile(
      { kind: 'window', from: window.from.toISOString(), to: window.to.toISOString() },
      io(out),
    );
    expect(code).toBe(EXIT.completed);
    expect(out.text).toMatch(
      /^Reconciliation run [0-9a-f-]{36} \(window\) started: 1 transaction\(s\) to check\n/,
    );
    expect(out.text).toContain('progress: 1/1\n');
    expect(out.text).not.toContain('\r');
    expect(out.text).toMatch(
      /Reconciliation run [0-9a-f-]{36} \(window, started by cli\): COMPLETED/,
    );
    expect(out.text).toMatch(/REPAIRED\s+1\n/);
    expect(out.text).toContain(`REPAIRED        collection/UG  ${id}`);
    expect((await gw.request('GET', `/v1/collections/${id}`)).body.status).toBe('SUCCESSFUL');
    const runs = await gw.request('GET', '/v1/reconciliation/runs?kind=window&limit=1');
    expect(runs.body.items[0]).toMatchObject({ triggeredBy: 'cli', status: 'COMPLETED' });
  });

  it('draws a progress bar on a terminal', async () => {
    const { window } = await lostCallback(4);
    const out = new Capture(true);
    const code = await runReconcile(
      { kind: 'window', from: window.from.toISOString(), to: window.to.toISOString() },
      io(out),
    );
    expect(code).toBe(EXIT.completed);
    expect(out.text).toContain('\r[##############################] 1/1 100%');
    expect(out.text).toContain('COMPLETED');
  });

  it('explains a request it cannot run', async () => {
    const err = new Capture();
    expect(await runReconcile({ kind: 'weekly' }, io(new Capture(), err))).toBe(EXIT.failed);
    expect(err.text).toBe('--kind must be one of stale-pending, daily, window\n');
    const err2 = new Capture();
    expect(
      await runReconcile({ kind: 'window', from: '2026-01-01T00:00:00Z' }, io(new Capture(), err2)),
    ).toBe(EXIT.failed);
    expect(err2.text).toBe('The request is not valid: to: is required for a window run\n');
  });

  it('says clearly that it needs a database when DATABASE_URL is unset', async () => {
    const err = new Capture();
    const { DATABASE_URL: _unset, ...rest } = env();
    expect(
      await runReconcile(
        { kind: 'stale-pending' },
        { env: rest, stdout: new Capture(), stderr: err },
      ),
    ).toBe(EXIT.failed);
    expect(err.text).toMatch(/^reconcile needs a database: set DATABASE_URL/);
  });

  it('runs as a process through the CLI entry point, and exits by itself when done', async () => {
    const { id, window } = await lostCallback(5);
    const root = path.resolve(__dirname, '..', '..');
    const args = [
      '-r',
      'ts-node/register/transpile-only',
      'src/cli/main.ts',
      'reconcile',
      '--kind',
      'window',
      '--from',
      window.from.toISOString(),
      '--to',
      window.to.toISOString(),
    ];
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, args, {
          cwd: root,
          env: { PATH: process.env.PATH, ...env() },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('progress: 1/1');
    expect(result.stdout).toMatch(/\(window, started by cli\): COMPLETED/);
    expect((await gw.request('GET', `/v1/collections/${id}`)).body.status).toBe('SUCCESSFUL');
  }, 60_000);
});
