import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';
import { NotificationDeliveryWorker } from '../../src/notifications/notification-delivery.worker';
import { jsonRequest, type JsonRequest } from '../support/app';
import { startGateway, type GatewayOptions, type TestGateway } from '../support/gateway';

/** The worker's loop, the poller and the crons stay off: each test drives deliveries itself. */
export const QUIET_ENV = {
  NOTIFICATIONS_ENABLED: 'false',
  POLL_ENABLED: 'false',
  RECONCILIATION_SCHEDULE_ENABLED: 'false',
  API_KEY_CACHE_TTL_SECONDS: '0',
};

export function startNotificationGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  return startGateway({ ...options, env: { ...QUIET_ENV, ...(options.env ?? {}) } });
}

/** What the receiver does with one request. */
export type Behaviour = 'ok' | 'hang' | 'destroy' | number;

/** What the gateway sends (docs/notifications.md); `data` is the transaction as the API shows it. */
export interface DeliveredBody {
  id: string;
  type: string;
  createdAt: string;
  data: { id: string; status: string; [field: string]: unknown };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: string;
  /** Parsed (undefined if it was not JSON). */
  body: DeliveredBody;
}

/**
 * A consumer's endpoint on 127.0.0.1: records every request and answers as told, request by
 * request (`plan`), then with `otherwise`. A `hang` never answers (until the receiver closes).
 */
export interface Receiver {
  url: string;
  received: Received[];
  plan: Behaviour[];
  otherwise: Behaviour;
  /** Answers every hanging request now (204). */
  release(): void;
  close(): Promise<void>;
}

export async function startReceiver(
  otherwise: Behaviour = 'ok',
  plan: Behaviour[] = [],
): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received: [],
    plan,
    otherwise,
    release: () => {
      for (const res of hanging) res.writeHead(204).end();
      hanging.clear();
    },
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: DeliveredBody | undefined;
      try {
        body = JSON.parse(raw) as DeliveredBody;
      } catch {
        body = undefined;
      }
      receiver.received.push({ headers: req.headers, raw, body: body as DeliveredBody });
      const behaviour = receiver.plan.shift() ?? receiver.otherwise;
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      if (behaviour === 'destroy') {
        req.socket.destroy();
        return;
      }
      res.writeHead(behaviour === 'ok' ? 204 : behaviour, { 'content-type': 'text/plain' });
      res.end(behaviour === 'ok' ? undefined : 'consumer says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/momo/notifications`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

export interface Consumer {
  /** The consumer's API key (every scope unless told otherwise) and its id. */
  key: string;
  keyId: string;
  request: JsonRequest;
  receiver: Receiver;
  endpointId: string;
  secret: string;
}

/** A new API key with its own receiver registered as its endpoint. */
export async function newConsumer(
  gw: TestGateway,
  options: { scopes?: readonly ApiKeyScope[]; products?: string[]; receiver?: Receiver } = {},
): Promise<Consumer> {
  const created = await gw.app.get(ApiKeyStore).create({
    name: `notify-${randomBytes(4).toString('hex')}`,
    scopes: options.scopes ?? API_KEY_SCOPES,
    rateLimitPerMinute: 1_000_000,
  });
  const request = jsonRequest(gw.url, created.key);
  const receiver = options.receiver ?? (await startReceiver());
  const res = await request('POST', '/v1/notification-endpoints', {
    url: receiver.url,
    ...(options.products ? { products: options.products } : {}),
  });
  if (res.status !== 201) {
    if (!options.receiver) await receiver.close();
    throw new Error(`endpoint refused: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return {
    key: created.key,
    keyId: created.summary.id,
    request,
    receiver,
    endpointId: res.body.id,
    secret: res.body.secret,
  };
}

export function worker(gw: TestGateway): NotificationDeliveryWorker {
  return gw.app.get(NotificationDeliveryWorker);
}

/** Runs SQL on the gateway's database (checks the API does not expose). */
export async function sql<T = Record<string, unknown>>(
  gw: TestGateway,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function uniqueExternalId(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A parsed API answer body: tests check it with assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in test/support
type Json = any;

/** A Ugandan request to pay by `request`'s key (UGX; EUR at MTN in sandbox mode). */
export async function collect(
  request: JsonRequest,
  phoneNumber = '256774123456',
): Promise<{ status: number; body: Json }> {
  return request('POST', '/v1/collections', {
    amount: '1000',
    currency: 'UGX',
    phoneNumber,
    externalId: uniqueExternalId('NTF'),
  });
}

/** Waits (bounded, no fixed sleep) until the transaction is final; returns it as the API shows it. */
export async function settled(
  request: JsonRequest,
  route: string,
  timeoutMs = 15_000,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request('GET', route);
    if (res.status === 200 && res.body.status !== 'PENDING') return res.body;
    if (Date.now() > deadline)
      throw new Error(`${route} still not final: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The notification rows of a transaction, straight from the outbox. */
export async function outboxOf(gw: TestGateway, transactionId: string) {
  return sql<{
    id: string;
    endpoint_id: string;
    event_type: string;
    status: string;
    attempts: number;
    next_attempt_at: Date | null;
  }>(
    gw,
    'SELECT id, endpoint_id, event_type, status, attempts, next_attempt_at FROM notification_outbox WHERE transaction_id = $1',
    [transactionId],
  );
}

/** The emulator's reserved numbers (docs/emulator.md): last seven digits 0000 + mode + reason. */
export function reservedUg(mode: 1 | 2 | 3, reasonDigits: string): string {
  return `256770000${mode}${reasonDigits}`;
}
