import { TokenService } from '../../src/momo/token/token.service';
import { emulatorRequests, startHarness, type Harness } from './momo-harness';

describe('MTN tokens against the emulator', () => {
  let h: Harness;
  const balance = () => h.client.getBalance({ product: 'collection', country: 'UG' });
  const tokenRequests = async () =>
    (await emulatorRequests(h.emulator, { path: '/collection/token/' })).length;

  beforeAll(async () => {
    // 200 calls at once on a busy machine: a slow answer must not pass for MTN trouble (a timeout
    // counts against the breaker, and enough of them open it). Timeouts are not under test here.
    h = await startHarness({ env: { MTN_MOMO_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('makes one token request for 200 concurrent calls', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, balance));
    expect(results).toHaveLength(200);
    await expect(tokenRequests()).resolves.toBe(1);
  });

  it('makes one token request for 200 concurrent calls during a refresh', async () => {
    h.clock.advance((3600 - 60) * 1000);
    await Promise.all(Array.from({ length: 200 }, balance));
    await expect(tokenRequests()).resolves.toBe(2);
  });

  it('sends the token request with Basic credentials and Content-Length: 0', async () => {
    const [request] = await emulatorRequests(h.emulator, {
      path: '/collection/token/',
      limit: '1',
    });
    expect(request?.headers).toMatchObject({
      'content-length': '0',
      authorization: expect.stringMatching(/^Basic /),
    });
    expect(request?.status).toBe(200);
  });

  it('drops a token MTN no longer accepts and fetches one new token', async () => {
    const tokens = h.moduleRef.get(TokenService);
    const before = tokens.getCounters();
    const since = String((await emulatorRequests(h.emulator)).at(-1)?.seq ?? 0);
    await fetch(`${h.emulator.url}/_emulator/tokens/expire`, { method: 'POST' });
    await expect(balance()).resolves.toMatchObject({ currency: 'EUR' });
    const after = await emulatorRequests(h.emulator, { since });
    expect(after.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/collection/v1_0/account/balance 401',
      '/collection/token/ 200',
      '/collection/v1_0/account/balance 200',
    ]);
    expect(tokens.getCounters()).toEqual({
      ...before,
      refreshes: before.refreshes + 1,
      invalidations: before.invalidations + 1,
    });
  });
});
