import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { captureLogs, createKey } from '../auth/support';
import { eventually } from '../products/support';
import { startGateway, type TestGateway } from '../support/gateway';

type Line = Record<string, unknown>;

/**
 * The shape of the lines written during a request, at LOG_LEVEL=info with request logging on:
 * one "request completed" line per request (request id, the serialized request, the caller's
 * key name and prefix, the status, the time taken), and every line written through Nest's
 * Logger while the request runs carries the request id and, once the key is known, its name and
 * prefix. Those names are bound per request: they never reach another request's lines.
 */
describe('request logging', () => {
  let gw: TestGateway;
  let lines: Line[];
  let writer: { key: string; name: string };
  let reader: { key: string; name: string };
  const unknownKey = `mgw_unknown1_${'Z'.repeat(43)}`;
  let createdId: string;

  const parsed = (raw: string[]): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const completed = (method: string, url: string): Line[] =>
    lines.filter(
      (l) =>
        'res' in l && l.msg === `${method} ${url} ${(l.res as { statusCode: number }).statusCode}`,
    );

  beforeAll(async () => {
    const capture = captureLogs();
    try {
      gw = await startGateway({
        env: { LOG_LEVEL: 'info', LOG_REQUESTS: 'true', POLL_ENABLED: 'false' },
      });
    } finally {
      capture.stop();
    }
    writer = await createKey(gw.app, API_KEY_SCOPES, { name: 'logging-writer' });
    reader = await createKey(gw.app, ['collection:read'], { name: 'logging-reader' });

    const created = await gw.request(
      'POST',
      '/v1/collections',
      { amount: '1000', currency: 'UGX', phoneNumber: '256774123456', externalId: 'REQLOG_1' },
      {},
      { apiKey: writer.key },
    );
    expect(created.status).toBe(202);
    createdId = created.body.id as string;
    // MTN's callback for it, confirmed with MTN outside any API key's request.
    await eventually('the callback to be confirmed', () =>
      capture.lines.some((l) => l.includes('"callback confirmed with MTN"')),
    );
    const got = await gw.request(
      'GET',
      `/v1/collections/${createdId}`,
      undefined,
      {},
      { apiKey: reader.key },
    );
    expect(got.status).toBe(200);
    const refused = await gw.request(
      'GET',
      '/v1/collections',
      undefined,
      {},
      { apiKey: unknownKey },
    );
    expect(refused.status).toBe(401);
    await gw.close();
    lines = parsed(capture.lines);
  });

  afterAll(async () => {
    if (gw) await gw.close().catch(() => undefined);
  });

  it('writes one "request completed" line with the request, the caller and the status', () => {
    const [line, ...more] = completed('POST', '/v1/collections');
    expect(more).toEqual([]);
    expect(Object.keys(line!)).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'reqId',
      'req',
      'apiKeyName',
      'apiKeyPrefix',
      'res',
      'responseTime',
      'msg',
    ]);
    expect(line).toMatchObject({
      level: 30,
      req: { id: line!.reqId, method: 'POST', url: '/v1/collections' },
      apiKeyName: 'logging-writer',
      apiKeyPrefix: writer.key.slice(0, 12),
      res: { statusCode: 202 },
      responseTime: expect.any(Number),
    });
  });

  it('names the caller on the Nest Logger lines written during its request', () => {
    const [request] = completed('POST', '/v1/collections');
    const during = lines.filter((l) => l.reqId === request!.reqId && l !== request);
    expect(during.map((l) => l.operation)).toEqual(expect.arrayContaining(['requestToPay']));
    for (const line of during) {
      expect(Object.keys(line).slice(0, 8)).toEqual([
        'level',
        'time',
        'pid',
        'hostname',
        'reqId',
        'apiKeyName',
        'apiKeyPrefix',
        'context',
      ]);
      expect(line).toMatchObject({
        apiKeyName: 'logging-writer',
        apiKeyPrefix: writer.key.slice(0, 12),
      });
    }
  });

  it("names each request's own caller, and nobody on requests without a key", () => {
    const [read] = completed('GET', `/v1/collections/${createdId}`);
    expect(read).toMatchObject({
      apiKeyName: 'logging-reader',
      apiKeyPrefix: reader.key.slice(0, 12),
    });
    const [refused] = completed('GET', '/v1/collections');
    expect(refused).toMatchObject({ res: { statusCode: 401 } });
    expect(refused).not.toHaveProperty('apiKeyName');

    // MTN's callback (a public route) and everything logged outside a request name no caller.
    const callback = lines.filter((l) => l.msg === 'callback confirmed with MTN');
    expect(callback).toHaveLength(1);
    expect(callback[0]).toHaveProperty('reqId');
    expect(
      lines.filter((l) => l.reqId === callback[0]!.reqId).filter((l) => 'apiKeyName' in l),
    ).toEqual([]);
    const outside = lines.filter((l) => !('reqId' in l));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((l) => 'apiKeyName' in l)).toEqual([]);
  });

  it('never writes the keys themselves', () => {
    const text = JSON.stringify(lines);
    for (const key of [writer.key, reader.key, unknownKey]) expect(text).not.toContain(key);
  });
});
