import { request as httpRequest } from 'node:http';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { CallbackReceiver } from './support/callback-receiver';
import { admin, http } from './support/http';
import { MomoTestClient, rtpBody } from './support/momo-client';

const RTP = '/collection/v1_0/requesttopay';
const BALANCE = '/collection/v1_0/account/balance';

describe('the /_emulator control API', () => {
  let emulator: RunningEmulator;
  let client: MomoTestClient;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  beforeEach(() => {
    emulator.reset();
    client = MomoTestClient.create(emulator);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  describe('faults', () => {
    it('fails exactly the next N matching requests, then retires', async () => {
      const fault = await admin(emulator.url, 'POST', '/faults', {
        kind: 'error',
        status: 500,
        pathPrefix: BALANCE,
        count: 2,
      });
      expect(fault.status).toBe(201);
      await client.token('collection');
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await client.get(BALANCE)).status);
      expect(statuses).toEqual([500, 500, 200]);
      expect((await admin(emulator.url, 'GET', '/faults')).json).toEqual([]);
    });

    it('answers MTN’s bodies for 500 and 503, or a given code or body', async () => {
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'error',
        status: 503,
        product: 'collection',
        count: 1,
      });
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'error',
        code: 'NOT_ALLOWED',
        product: 'collection',
        count: 1,
      });
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'error',
        status: 502,
        body: 'Bad gateway',
        count: 1,
      });
      const unavailable = await client.get(BALANCE, { bearer: 'x' });
      expect([unavailable.status, unavailable.text]).toEqual([
        503,
        '{"message":"Service temporarily unavailable, try again later","code":"SERVICE_UNAVAILABLE"}',
      ]);
      const coded = await client.get(BALANCE, { bearer: 'x' });
      expect([coded.status, coded.json.code]).toEqual([500, 'NOT_ALLOWED']);
      const plain = await client.get(BALANCE, { bearer: 'x' });
      expect([plain.status, plain.text]).toEqual([502, 'Bad gateway']);
    });

    it('scopes faults by product and method', async () => {
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'error',
        product: 'disbursement',
        method: 'POST',
      });
      await client.token('collection');
      expect((await client.get(BALANCE)).status).toBe(200);
      expect((await client.create(RTP, rtpBody('256774123456'))).status).toBe(202);
      expect((await client.get('/disbursement/v1_0/account/balance', { bearer: 'x' })).status).toBe(
        401,
      );
      const token = await http(`${emulator.url}/disbursement/token/`, { method: 'POST' });
      expect(token.status).toBe(500);
    });

    it('adds latency', async () => {
      await client.token('collection');
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'latency',
        latencyMs: 60,
        pathPrefix: BALANCE,
        count: 1,
      });
      const started = Date.now();
      expect((await client.get(BALANCE)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    });

    function get(path: string): Promise<number> {
      // A fresh connection: fetch silently retries a GET whose reused socket was reset.
      return new Promise((resolve, reject) => {
        const req = httpRequest(`${emulator.url}${path}`, { agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.setTimeout(100, () => req.destroy(new Error('client timeout')));
        req.on('error', reject);
        req.end();
      });
    }

    it('holds a request without answering (timeout)', async () => {
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'timeout',
        pathPrefix: BALANCE,
        count: 1,
      });
      await expect(get(BALANCE)).rejects.toThrow('client timeout');
      const [entry] = emulator.state.requestLog.query({ path: BALANCE });
      expect(entry?.fault).toBe('timeout');
      expect(entry?.status).toBeUndefined();
      expect(await get(BALANCE)).toBe(401);
    });

    it('resets the connection', async () => {
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'reset',
        pathPrefix: BALANCE,
        count: 1,
      });
      await expect(get(BALANCE)).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(emulator.state.requestLog.query({ path: BALANCE })[0]?.fault).toBe('reset');
      expect(await get(BALANCE)).toBe(401);
    });

    it('loses the answer of a request it carried out (the create is stored, the client sees a reset)', async () => {
      await client.token('collection');
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'lost-answer',
        pathPrefix: RTP,
        count: 1,
      });
      const referenceId = '7c1e2a4b-3d5f-4a6b-8c9d-0e1f2a3b4c5d';
      await expect(client.create(RTP, rtpBody('46733123450'), { referenceId })).rejects.toThrow(
        /socket hang up|ECONNRESET|other side closed|fetch failed/,
      );
      const [logged] = emulator.state.requestLog.query({ path: RTP });
      expect(logged).toMatchObject({ fault: 'lost-answer', status: 202 });
      // MTN holds it: the status is there, and the same reference again is a duplicate.
      const status = await client.get(`${RTP}/${referenceId}`);
      expect(status.status).toBe(200);
      const again = await client.create(RTP, rtpBody('46733123450'), { referenceId });
      expect(again.status).toBe(409);
    });

    it('answers APIM’s 429 beyond the configured requests per minute', async () => {
      await client.token('collection');
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'rate-limit',
        requestsPerMinute: 2,
        product: 'collection',
      });
      const results = [];
      for (let i = 0; i < 3; i += 1) results.push(await client.get(BALANCE));
      expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(results[2]!.json).toEqual({
        statusCode: 429,
        message: expect.stringMatching(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/),
      });
      expect(Number(results[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('fails the token endpoint', async () => {
      await admin(emulator.url, 'POST', '/faults', {
        kind: 'token-failure',
        product: 'collection',
        count: 1,
      });
      await expect(client.token('collection')).rejects.toThrow(
        'token: HTTP 500 {"error":"login_failed"}',
      );
      expect((await client.get(BALANCE)).status).toBe(200);
    });

    it('fails a seeded share of requests, the same ones on every run', async () => {
      const run = async (): Promise<number[]> => {
        emulator.reset();
        const c = MomoTestClient.create(emulator);
        await c.token('collection');
        await admin(emulator.url, 'PATCH', '/config', { seed: 42 });
        await admin(emulator.url, 'POST', '/faults', {
          kind: 'error',
          status: 503,
          rate: 0.5,
          pathPrefix: BALANCE,
        });
        const statuses = [];
        for (let i = 0; i < 12; i += 1) statuses.push((await c.get(BALANCE)).status);
        return statuses;
      };
      const first = await run();
      expect(first).toContain(503);
      expect(first).toContain(200);
      expect(await run()).toEqual(first);
    });

    it('refuses malformed fault rules and removes rules by id', async () => {
      expect((await admin(emulator.url, 'POST', '/faults', { kind: 'boom' })).status).toBe(400);
      expect((await admin(emulator.url, 'POST', '/faults', { kind: 'latency' })).status).toBe(400);
      const rule = await admin(emulator.url, 'POST', '/faults', { kind: 'error' });
      expect((await admin(emulator.url, 'DELETE', `/faults/${rule.json.id}`)).status).toBe(204);
      expect((await admin(emulator.url, 'DELETE', `/faults/${rule.json.id}`)).status).toBe(404);
    });
  });

  describe('scripted outcomes', () => {
    it('refuses the next create synchronously', async () => {
      await admin(emulator.url, 'POST', '/outcomes', {
        pathPrefix: RTP,
        outcome: { type: 'reject', code: 'PAYER_NOT_FOUND' },
      });
      const refused = await client.create(RTP, rtpBody('256774123456'));
      expect([refused.status, refused.text]).toEqual([
        500,
        '{"message":"Payee does not exist","code":"PAYER_NOT_FOUND"}',
      ]);
      expect((await client.create(RTP, rtpBody('256774123456'))).status).toBe(202);
    });

    it('holds a create until completed, matching by party', async () => {
      await admin(emulator.url, 'POST', '/outcomes', {
        partyId: '233244000000',
        count: 2,
        outcome: { type: 'accept', status: 'FAILED', reason: 'PAYER_LIMIT_REACHED', delayMs: null },
      });
      const other = await client.create(RTP, rtpBody('256774123456'));
      expect((await client.get(`${RTP}/${other.referenceId}`)).json.status).toBe('SUCCESSFUL');
      const held = await client.create(RTP, rtpBody('233244000000'));
      expect((await client.get(`${RTP}/${held.referenceId}`)).json.status).toBe('PENDING');
      const completed = await admin(
        emulator.url,
        'POST',
        `/transactions/${held.referenceId}/complete`,
      );
      expect(completed.json).toMatchObject({ status: 'FAILED', reason: 'PAYER_LIMIT_REACHED' });
      expect(
        (await admin(emulator.url, 'POST', `/transactions/${held.referenceId}/complete`)).status,
      ).toBe(409);
    });

    it('validates outcome rules', async () => {
      expect(
        (
          await admin(emulator.url, 'POST', '/outcomes', {
            outcome: { type: 'accept', status: 'FAILED' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await admin(emulator.url, 'POST', '/outcomes', {
            outcome: { type: 'reject', code: 'NOPE' },
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('transactions', () => {
    it('completes a pending transaction with a chosen outcome, with money and callback', async () => {
      const receiver = await new CallbackReceiver().start();
      try {
        const held = await client.create(RTP, rtpBody('46733123453', '20'), {
          callbackUrl: receiver.url(),
        });
        const done = await admin(
          emulator.url,
          'POST',
          `/transactions/${held.referenceId}/complete`,
          { status: 'SUCCESSFUL' },
        );
        expect(done.json).toMatchObject({ status: 'SUCCESSFUL', settled: true });
        await receiver.waitFor(1);
        expect(JSON.parse(receiver.received[0]!.body).status).toBe('SUCCESSFUL');
      } finally {
        await receiver.stop();
      }
    });

    it('drifts a record behind the client’s back: no money, no callback', async () => {
      const receiver = await new CallbackReceiver().start();
      try {
        const tx = await client.create(RTP, rtpBody('256774123456', '10'), {
          callbackUrl: receiver.url(),
        });
        await receiver.waitFor(1);
        const before = (await admin(emulator.url, 'GET', '/ledger')).json;
        const drifted = await admin(emulator.url, 'PATCH', `/transactions/${tx.referenceId}`, {
          status: 'FAILED',
          reason: 'INTERNAL_PROCESSING_ERROR',
          amount: '11',
        });
        expect(drifted.json).toMatchObject({ drifted: true, status: 'FAILED', amount: '11' });
        expect((await client.get(`${RTP}/${tx.referenceId}`)).json).toMatchObject({
          status: 'FAILED',
          reason: 'INTERNAL_PROCESSING_ERROR',
          amount: '11',
        });
        await emulator.callbacksIdle();
        expect(receiver.received).toHaveLength(1);
        expect((await admin(emulator.url, 'GET', '/ledger')).json.totals).toEqual(before.totals);
      } finally {
        await receiver.stop();
      }
    });

    it('lists transactions with filters', async () => {
      await client.create(RTP, rtpBody('256774123456'));
      await client.create(RTP, rtpBody('46733123451'));
      const failed = await admin(
        emulator.url,
        'GET',
        `/transactions?status=FAILED&apiUser=${client.user.apiUser}`,
      );
      expect(failed.json).toHaveLength(1);
      expect(failed.json[0]).toMatchObject({ kind: 'requesttopay', reason: 'APPROVAL_REJECTED' });
      expect(
        (await admin(emulator.url, 'GET', '/transactions/a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'))
          .status,
      ).toBe(404);
    });
  });

  describe('request log', () => {
    it('records method, path, headers, body and status, filterable and clearable', async () => {
      await client.create(RTP, rtpBody('256774123456'));
      await client.get(BALANCE);
      const posts = await admin(emulator.url, 'GET', `/requests?method=POST&path=${RTP}`);
      expect(posts.json).toHaveLength(1);
      expect(posts.json[0]).toMatchObject({
        method: 'POST',
        path: RTP,
        status: 202,
        headers: expect.objectContaining({ 'x-target-environment': 'sandbox' }),
      });
      expect(JSON.parse(posts.json[0].body)).toEqual(rtpBody('256774123456'));
      expect(
        (await admin(emulator.url, 'GET', '/requests?pathPrefix=/collection&limit=1')).json[0].path,
      ).toBe(BALANCE);
      expect(
        (await admin(emulator.url, 'GET', '/requests?status=200')).json.length,
      ).toBeGreaterThanOrEqual(2);
      expect((await admin(emulator.url, 'DELETE', '/requests')).status).toBe(204);
      expect((await admin(emulator.url, 'GET', '/requests')).json).toEqual([]);
    });

    it('keeps only the last requestLogSize entries', async () => {
      const small = await startEmulator({ requestLogSize: 3 });
      try {
        for (let i = 0; i < 5; i += 1) await http(`${small.url}/v1_0/apiuser/x`);
        expect(small.state.requestLog.query().map((e) => e.seq)).toEqual([3, 4, 5]);
      } finally {
        await small.stop();
      }
    });
  });

  describe('config and reset', () => {
    it('reads and changes settings, refusing invalid values', async () => {
      const config = await admin(emulator.url, 'GET', '/config');
      expect(config.json.settings).toMatchObject({
        tokenExpiresInSeconds: 3600,
        processingDelayMs: 0,
      });
      expect(config.json.targetEnvironments).toMatchObject({ sandbox: 'EUR', mtnuganda: 'UGX' });
      expect(
        (await admin(emulator.url, 'PATCH', '/config', { tokenExpiresInSeconds: 60 })).json.settings
          .tokenExpiresInSeconds,
      ).toBe(60);
      expect((await admin(emulator.url, 'PATCH', '/config', { callbackDropRate: 2 })).status).toBe(
        400,
      );
      expect((await admin(emulator.url, 'GET', '/nothing')).status).toBe(404);
    });

    it('keeps ordinary transactions PENDING for processingDelayMs', async () => {
      await admin(emulator.url, 'PATCH', '/config', { processingDelayMs: 60_000 });
      const tx = await client.create(RTP, rtpBody('256774123456'));
      expect((await client.get(`${RTP}/${tx.referenceId}`)).json.status).toBe('PENDING');
      await admin(emulator.url, 'POST', `/transactions/${tx.referenceId}/complete`);
      expect((await client.get(`${RTP}/${tx.referenceId}`)).json.status).toBe('SUCCESSFUL');
    });

    it('resets users, transactions, ledger, faults and settings but keeps the keys', async () => {
      const keys = { ...emulator.subscriptionKeys };
      await client.create(RTP, rtpBody('256774123456'));
      await admin(emulator.url, 'POST', '/faults', { kind: 'error', pathPrefix: '/remittance' });
      await admin(emulator.url, 'PATCH', '/config', { processingDelayMs: 5 });
      expect((await admin(emulator.url, 'POST', '/reset')).status).toBe(204);
      expect((await admin(emulator.url, 'GET', '/apiusers')).json).toEqual([]);
      expect((await admin(emulator.url, 'GET', '/transactions')).json).toEqual([]);
      expect((await admin(emulator.url, 'GET', '/ledger')).json.accounts).toEqual([]);
      expect((await admin(emulator.url, 'GET', '/faults')).json).toEqual([]);
      expect((await admin(emulator.url, 'GET', '/config')).json.settings.processingDelayMs).toBe(0);
      expect(emulator.subscriptionKeys).toEqual(keys);
    });

    it('recreates seeded API users on reset', async () => {
      const seeded = await startEmulator({
        apiUsers: [
          {
            apiUser: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
            apiKey: 'k',
            providerCallbackHost: 'localhost',
          },
        ],
      });
      try {
        seeded.reset();
        expect(
          seeded.state.users.get('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')?.apiKeys.has('k'),
        ).toBe(true);
      } finally {
        await seeded.stop();
      }
    });
  });
});
