/**
 * The BASELINE: what the gateway's hot paths cost with nothing but `node:http` and a `pg` Pool,
 * written as lean as possible. Per request to pay it does the same work as the gateway: validate
 * the JSON body, insert a row, make the same HTTP call to MTN (the emulator; token cached,
 * keep-alive agent), update the row, answer 202. It also serves the other benchmarked reads
 * (one row, a page of rows) and callbacks (answer 200, then confirm with MTN and update), so
 * every scenario with a gateway figure has a baseline figure beside it.
 *
 * Configured by environment: PORT, DATABASE_URL, MOMO_URL, MOMO_SUBSCRIPTION_KEY, MOMO_API_USER,
 * MOMO_API_KEY, CALLBACK_BASE_URL, DATABASE_POOL_SIZE (10, as the gateway's default).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Pool } from 'pg';

const env = process.env;
const port = Number(env.PORT ?? 3100);
const momo = new URL(env.MOMO_URL ?? 'http://127.0.0.1:8090');
const subscriptionKey = env.MOMO_SUBSCRIPTION_KEY ?? '';
const basic = `Basic ${Buffer.from(`${env.MOMO_API_USER}:${env.MOMO_API_KEY}`).toString('base64')}`;
const callbackBase = env.CALLBACK_BASE_URL ?? `http://127.0.0.1:${port}`;
const pool = new Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DATABASE_POOL_SIZE ?? 10),
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const SCHEMA = `
CREATE TABLE IF NOT EXISTS baseline_tx (
  id uuid PRIMARY KEY,
  external_id text NOT NULL UNIQUE,
  amount numeric NOT NULL,
  currency char(3) NOT NULL,
  msisdn varchar(15) NOT NULL,
  status varchar(16) NOT NULL,
  mtn_accepted boolean NOT NULL DEFAULT false,
  financial_transaction_id text,
  callback_token varchar(64) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS baseline_tx_created ON baseline_tx (created_at, id);`;

interface MomoAnswer {
  status: number;
  body: string;
}

function momoCall(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<MomoAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: momo.hostname,
        port: momo.port,
        method,
        path,
        agent,
        timeout: 10_000,
        headers: { ...headers, 'Content-Length': String(body ? Buffer.byteLength(body) : 0) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

let token: { value: string; refreshAt: number } | undefined;
let tokenInFlight: Promise<string> | undefined;
async function accessToken(): Promise<string> {
  if (token && Date.now() < token.refreshAt) return token.value;
  tokenInFlight ??= momoCall('POST', '/collection/token/', {
    Authorization: basic,
    'Ocp-Apim-Subscription-Key': subscriptionKey,
  })
    .then((res) => {
      const grant = JSON.parse(res.body) as { access_token: string; expires_in: number };
      token = { value: grant.access_token, refreshAt: Date.now() + (grant.expires_in - 60) * 1000 };
      return token.value;
    })
    .finally(() => (tokenInFlight = undefined));
  return tokenInFlight;
}

async function productHeaders(referenceId?: string): Promise<Record<string, string>> {
  return {
    Authorization: `Bearer ${await accessToken()}`,
    'Ocp-Apim-Subscription-Key': subscriptionKey,
    'X-Target-Environment': 'sandbox',
    'Content-Type': 'application/json',
    ...(referenceId ? { 'X-Reference-Id': referenceId } : {}),
  };
}

const DECIMAL = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,6})?$/;
const EXTERNAL_ID = /^[A-Za-z0-9._:\-/]{1,64}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const SAFE_TEXT = /^[^&'"<>\\\u0000-\u001f]{0,160}$/;

interface Payment {
  amount: string;
  currency: string;
  msisdn: string;
  externalId: string;
  payerMessage?: string;
  payeeNote?: string;
}

function validate(body: unknown): Payment | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.amount !== 'string' || !DECIMAL.test(b.amount) || Number(b.amount) <= 0)
    return 'amount';
  if (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)) return 'currency';
  const msisdn = typeof b.phoneNumber === 'string' ? b.phoneNumber.replace(/[+\s]/g, '') : '';
  if (!/^[0-9]{6,15}$/.test(msisdn)) return 'phoneNumber';
  if (typeof b.externalId !== 'string' || !EXTERNAL_ID.test(b.externalId)) return 'externalId';
  for (const f of ['payerMessage', 'payeeNote'] as const) {
    if (b[f] !== undefined && (typeof b[f] !== 'string' || !SAFE_TEXT.test(b[f]))) return f;
  }
  return {
    amount: b.amount,
    currency: b.currency,
    msisdn,
    externalId: b.externalId,
    payerMessage: b.payerMessage as string | undefined,
    payeeNote: b.payeeNote as string | undefined,
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function createCollection(raw: string, res: http.ServerResponse): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return send(res, 400, { code: 'VALIDATION_FAILED', message: 'invalid JSON' });
  }
  const p = validate(parsed);
  if (typeof p === 'string')
    return send(res, 400, { code: 'VALIDATION_FAILED', message: `invalid ${p}` });
  const id = randomUUID();
  const callbackToken = randomBytes(24).toString('base64url');
  const inserted = await pool.query<{ created_at: Date }>(
    'INSERT INTO baseline_tx (id, external_id, amount, currency, msisdn, status, callback_token) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at',
    [id, p.externalId, p.amount, p.currency, p.msisdn, 'PENDING', callbackToken],
  );
  const mtnBody = JSON.stringify({
    amount: p.amount,
    currency: 'EUR',
    externalId: p.externalId,
    payer: { partyIdType: 'MSISDN', partyId: p.msisdn },
    payerMessage: p.payerMessage ?? '',
    payeeNote: p.payeeNote ?? '',
  });
  const answer = await momoCall(
    'POST',
    '/collection/v1_0/requesttopay',
    {
      ...(await productHeaders(id)),
      'X-Callback-Url': `${callbackBase}/webhooks/${id}/${callbackToken}`,
    },
    mtnBody,
  );
  if (answer.status !== 202) {
    await pool.query("UPDATE baseline_tx SET status = 'FAILED', updated_at = now() WHERE id = $1", [
      id,
    ]);
    return send(res, 502, { code: 'MTN_UNAVAILABLE', message: `MTN answered ${answer.status}` });
  }
  await pool.query('UPDATE baseline_tx SET mtn_accepted = true, updated_at = now() WHERE id = $1', [
    id,
  ]);
  send(res, 202, {
    id,
    status: 'PENDING',
    amount: p.amount,
    currency: p.currency,
    phoneNumber: p.msisdn,
    externalId: p.externalId,
    createdAt: inserted.rows[0]?.created_at,
  });
}

const COLUMNS =
  'id, external_id AS "externalId", amount, currency, msisdn AS "phoneNumber", status, financial_transaction_id AS "financialTransactionId", created_at AS "createdAt", updated_at AS "updatedAt"';

async function getOne(id: string, res: http.ServerResponse): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return send(res, 404, { code: 'NOT_FOUND' });
  const r = await pool.query(`SELECT ${COLUMNS} FROM baseline_tx WHERE id = $1`, [id]);
  if (r.rows.length === 0) return send(res, 404, { code: 'NOT_FOUND' });
  send(res, 200, r.rows[0]);
}

async function list(query: URLSearchParams, res: http.ServerResponse): Promise<void> {
  const limit = Math.min(200, Math.max(1, Number(query.get('limit') ?? 50) || 50));
  const r = await pool.query(
    `SELECT ${COLUMNS} FROM baseline_tx ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  send(res, 200, { items: r.rows });
}

/** Answered at once; then, as the gateway does, confirmed with MTN before anything changes. */
async function confirmCallback(id: string, callbackToken: string): Promise<void> {
  const row = await pool.query<{ status: string; callback_token: string }>(
    'SELECT status, callback_token FROM baseline_tx WHERE id = $1',
    [id],
  );
  const tx = row.rows[0];
  if (!tx || tx.callback_token !== callbackToken || tx.status !== 'PENDING') return;
  const answer = await momoCall(
    'GET',
    `/collection/v1_0/requesttopay/${id}`,
    await productHeaders(),
  );
  if (answer.status !== 200) return;
  const status = JSON.parse(answer.body) as { status?: string; financialTransactionId?: string };
  if (status.status !== 'SUCCESSFUL' && status.status !== 'FAILED') return;
  await pool.query(
    "UPDATE baseline_tx SET status = $2, financial_transaction_id = $3, updated_at = now() WHERE id = $1 AND status = 'PENDING'",
    [id, status.status, status.financialTransactionId ?? null],
  );
}

function route(
  req: http.IncomingMessage,
  raw: string,
  res: http.ServerResponse,
): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/');
  if (req.method === 'POST' && url.pathname === '/collections') return createCollection(raw, res);
  if (req.method === 'GET' && url.pathname === '/collections') return list(url.searchParams, res);
  if (req.method === 'GET' && parts.length === 3 && parts[1] === 'collections')
    return getOne(parts[2] ?? '', res);
  if (req.method === 'POST' && parts.length === 4 && parts[1] === 'webhooks') {
    send(res, 200, { received: true });
    confirmCallback(parts[2] ?? '', parts[3] ?? '').catch(() => undefined);
    return;
  }
  send(res, 404, { code: 'NOT_FOUND' });
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    raw += c;
    if (raw.length > 65_536) req.destroy();
  });
  req.on('end', () => {
    Promise.resolve()
      .then(() => route(req, raw, res))
      .catch(() => {
        if (!res.headersSent) send(res, 500, { code: 'INTERNAL_ERROR' });
      });
  });
});
server.keepAliveTimeout = 72_000;

async function main(): Promise<void> {
  await pool.query(SCHEMA);
  await accessToken();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`baseline on http://127.0.0.1:${port}\n`);
  const stop = (): void => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`baseline failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
