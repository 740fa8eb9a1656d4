import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { startGateway, type TestGateway } from '../support/gateway';
import { FULL, scaled, SEED } from './support/scale';

/**
 * (d) Generated bad input on every endpoint the OpenAPI document lists (plus the callback PUT it
 * hides, unknown routes and wrong methods): malformed and mistyped bodies, mutated valid bodies,
 * junk path and query parameters, odd content types and credentials. Whatever comes in, the
 * gateway answers below 500, and every 4xx carries a machine-readable `code`.
 */

interface Endpoint {
  method: string;
  /** OpenAPI path template, e.g. /v1/collections/{id}. */
  path: string;
  queryNames: string[];
}

interface Probe {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  endpoint: string;
}

const VALID_PAYMENT = {
  amount: '1000',
  currency: 'UGX',
  phoneNumber: '256774123456',
  externalId: 'FUZZ_1',
  payerMessage: 'hi',
  payeeNote: 'ok',
};
const TEMPLATES: Record<string, Record<string, unknown>> = {
  '/v1/collections': VALID_PAYMENT,
  '/v1/collections/withdrawals': VALID_PAYMENT,
  '/v1/disbursements': { ...VALID_PAYMENT, checkPayee: false },
  '/v1/disbursements/deposits': VALID_PAYMENT,
  '/v1/disbursements/refunds': {
    collectionId: '3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62',
    externalId: 'R_1',
    amount: '500',
  },
  '/v1/remittances': VALID_PAYMENT,
  '/v1/remittances/cash-transfers': {
    ...VALID_PAYMENT,
    originatingCountry: 'GB',
    originalAmount: '20.00',
    originalCurrency: 'GBP',
    payerIdentificationType: 'PASS',
    payerIdentificationNumber: 'P1234567',
    payerFirstName: 'Jane',
    payerSurName: 'Doe',
  },
  '/v1/reconciliation/runs': {
    kind: 'window',
    from: '2026-01-01T00:00:00Z',
    to: '2026-01-02T00:00:00Z',
  },
  '/v1/reconciliation/discrepancies/{id}/acknowledge': { note: 'checked' },
  '/v1/webhooks/mtn/{product}/{id}/{token}': {
    financialTransactionId: '1',
    externalId: 'X',
    amount: '1000',
    currency: 'EUR',
    status: 'SUCCESSFUL',
  },
};

/** Values no field expects: wrong types, edges, injections, oversize, odd unicode. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '0',
    '-1',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '１０００',
    '1,000',
    '12.1234567',
    '00012',
  ),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE momo_transactions; --',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '\ud800',
    '𝟘𝟙𝟚',
    'A'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

/** encodeURIComponent that survives lone surrogates (they become U+FFFD, as a browser would send). */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
}

function mutatedBody(template: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(template);
  return fc.oneof(
    // one field replaced with junk
    fc
      .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), junk)
      .map(([k, v]) => JSON.stringify({ ...template, [k]: v })),
    // one field missing
    fc
      .constantFrom(...(keys.length ? keys : ['x']))
      .map((k) =>
        JSON.stringify(Object.fromEntries(Object.entries(template).filter(([key]) => key !== k))),
      ),
    // unknown fields added
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 8 }), junk, { minKeys: 1, maxKeys: 3 })
      .map((extra) => JSON.stringify({ ...template, ...extra })),
    // anything JSON at all
    fc.jsonValue().map((v) => JSON.stringify(v)),
    // not JSON
    fc.constantFrom(
      '',
      '{',
      '{"amount":',
      'null',
      '[]',
      '"text"',
      '{"a":1}}',
      'amount=1000&currency=UGX',
      '\u0000\u0001',
      '{"__proto__":{"x":1}}',
    ),
    fc.string({ maxLength: 60 }),
  );
}

function segment(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.uuid().map(String),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom(
        '0',
        '-1',
        'null',
        'undefined',
        '..',
        '%',
        '%2e%2e',
        'A'.repeat(300),
        randomUUID().toUpperCase(),
        '00000000-0000-0000-0000-000000000000',
        'collection',
        'disbursement',
        'remittance',
      ),
    )
    .map(enc);
}

function probes(endpoint: Endpoint, baseUrl: string, apiKey: string): fc.Arbitrary<Probe> {
  const template = TEMPLATES[endpoint.path] ?? {};
  const path = fc
    .tuple(...(endpoint.path.match(/\{[^}]+\}/g) ?? []).map(() => segment()))
    .map((values) => {
      let i = 0;
      return endpoint.path.replace(/\{[^}]+\}/g, () => values[i++] ?? '');
    });
  const query = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...(endpoint.queryNames.length ? endpoint.queryNames : ['q'])),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(
          junk.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
          fc.constantFrom(
            '',
            '50',
            '0',
            '201',
            'PENDING',
            'UG',
            'XX',
            '2026-13-45',
            '2026-01-01T00:00:00Z',
          ),
        ),
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs.length ? `?${pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : '',
    );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '',
  );
  const auth = fc.constantFrom<Record<string, string>>(
    { authorization: `Bearer ${apiKey}` },
    { authorization: `Bearer ${apiKey}` },
    { authorization: `Bearer ${apiKey}` },
    { authorization: `Bearer ${apiKey}` },
    {},
    { authorization: 'Bearer mgw_aaaaaaaa_' + 'A'.repeat(43) },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer' },
    { 'x-api-key': 'nope' },
  );
  const idempotency = fc.option(
    fc.oneof(
      fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')),
      fc.constant('k'.repeat(500)),
    ),
    { nil: undefined },
  );
  const hasBody =
    endpoint.method === 'POST' || endpoint.method === 'PUT' || endpoint.method === 'PATCH';
  return fc
    .record({
      path,
      query,
      contentType,
      auth,
      idempotency,
      body: hasBody
        ? fc.oneof(mutatedBody(template), fc.constant('x'.repeat(70_000)))
        : fc.constant(undefined),
    })
    .map((p) => ({
      method: endpoint.method,
      url: `${baseUrl}${p.path}${p.query}`,
      headers: {
        ...p.auth,
        ...(p.body !== undefined && p.contentType ? { 'content-type': p.contentType } : {}),
        ...(p.idempotency !== undefined ? { 'idempotency-key': p.idempotency } : {}),
      },
      body: p.body,
      endpoint: `${endpoint.method} ${endpoint.path}`,
    }));
}

describe(`resilience (d): generated bad input on every endpoint${FULL ? ' (full)' : ''}`, () => {
  let gw: TestGateway;
  let endpoints: Endpoint[];
  const failures: string[] = [];
  const perEndpoint = new Map<string, number>();
  const statuses = new Map<number, number>();
  let total = 0;
  let unsendable = 0;

  beforeAll(async () => {
    gw = await startGateway({ env: { RECONCILIATION_SCHEDULE_ENABLED: 'false' } });
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    endpoints = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        endpoints.push({
          method: method.toUpperCase(),
          path,
          queryNames: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        });
      }
    }
    // Not in the document, reachable all the same.
    endpoints.push({
      method: 'PUT',
      path: '/v1/webhooks/mtn/{product}/{id}/{token}',
      queryNames: [],
    });
    endpoints.push({ method: 'DELETE', path: '/v1/collections/{id}', queryNames: [] });
    endpoints.push({ method: 'PATCH', path: '/v1/disbursements', queryNames: [] });
    endpoints.push({ method: 'GET', path: '/v1/{x}/{y}', queryNames: [] });
    endpoints.push({ method: 'POST', path: '/{x}', queryNames: [] });

    // 6 % more than the target, for the few a client cannot even send (e.g. a header value fetch
    // refuses): the gateway must answer at least the target number.
    const perEndpointRuns = Math.ceil((scaled(1_000, 10_000) * 1.06) / endpoints.length);
    const all: Probe[] = endpoints.flatMap((e, i) =>
      fc.sample(probes(e, gw.url, gw.apiKey), { numRuns: perEndpointRuns, seed: SEED + i }),
    );
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < all.length) {
        const p = all[next++]!;
        let status = 0;
        let text = '';
        try {
          const res = await fetch(p.url, {
            method: p.method,
            headers: p.headers,
            body: p.body,
            signal: AbortSignal.timeout(30_000),
          });
          status = res.status;
          text = await res.text();
        } catch (err) {
          // The client could not even build or send it (e.g. a header fetch refuses): not the gateway's answer.
          const code = (err as { cause?: { code?: unknown } }).cause?.code;
          if (err instanceof TypeError && !(typeof code === 'string' && code.startsWith('ECONN'))) {
            unsendable++;
            continue;
          }
          failures.push(`${p.method} ${p.url.slice(0, 200)}: no answer (${String(err)})`);
          continue;
        }
        total++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        perEndpoint.set(p.endpoint, (perEndpoint.get(p.endpoint) ?? 0) + 1);
        if (status >= 500)
          failures.push(
            `${p.method} ${p.url.slice(0, 200)} body ${String(p.body).slice(0, 200)} → ${status} ${text.slice(0, 300)}`,
          );
        else if (status >= 400) {
          let code: unknown;
          try {
            code = (JSON.parse(text) as { code?: unknown }).code;
          } catch {
            code = undefined;
          }
          if (typeof code !== 'string')
            failures.push(
              `${p.method} ${p.url.slice(0, 200)} → ${status} without a code: ${text.slice(0, 200)}`,
            );
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }, 600_000);

  afterAll(async () => {
    await gw?.close();
  });

  it(`sends at least ${scaled(1_000, 10_000)} requests, to every endpoint`, () => {
    expect(total).toBeGreaterThanOrEqual(scaled(1_000, 10_000));
    const starved = endpoints
      .map((e) => `${e.method} ${e.path}`)
      .filter((e) => (perEndpoint.get(e) ?? 0) < 10);
    expect(starved).toEqual([]);
  });

  it('reaches the validation, authentication, routing and size checks alike', () => {
    for (const status of [400, 401, 404, 413])
      expect({ status, seen: (statuses.get(status) ?? 0) > 0 }).toEqual({ status, seen: true });
    expect(unsendable).toBeLessThan(total * 0.05);
  });

  it('never answers 5xx, and every 4xx carries a code', () => {
    expect({ count: failures.length, first: failures.slice(0, 15) }).toEqual({
      count: 0,
      first: [],
    });
  });
});
