import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CALLBACK_HOST, startHarness, type Harness } from './momo-harness';

/** Keeps what the application logs, as nestjs-pino would receive it. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown, ...rest: unknown[]): void {
    this.warnings.push(JSON.stringify([message, ...rest]));
  }
}

describe('an API user registered for another callback host', () => {
  let h: Harness;
  const logger = new CapturingLogger();
  beforeAll(async () => {
    h = await startHarness({ providerCallbackHost: 'old-gateway.test', logger });
  });
  afterAll(async () => {
    await h.close();
  });

  it('gets one plain warning at start-up', () => {
    const mismatch = logger.warnings.filter((w) => w.includes('INVALID_CALLBACK_URL_HOST'));
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toContain(`provision a new API user for host ${CALLBACK_HOST}`);
    expect(mismatch[0]).toContain('old-gateway.test');
  });

  it('never shows the API user or its key in that warning', () => {
    const all = logger.warnings.join('\n');
    expect(all).not.toContain(h.user.apiUser);
    expect(all).not.toContain(h.user.apiKey);
  });

  it('is what MTN then refuses every create for', async () => {
    const create = h.client.create({
      product: 'collection',
      operation: 'requestToPay',
      country: 'UG',
      referenceId: randomUUID(),
      body: {
        amount: '1',
        currency: 'EUR',
        externalId: 'x',
        payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
      },
      callbackUrl: `https://${CALLBACK_HOST}/v1/webhooks/mtn/collection`,
    });
    await expect(create).rejects.toMatchObject({
      code: 'INVALID_CALLBACK_URL_HOST',
      httpStatus: 500,
      transient: false,
    });
  });
});

describe('an API user registered for our callback host', () => {
  it('starts without a callback-host warning', async () => {
    const logger = new CapturingLogger();
    const h = await startHarness({ logger });
    try {
      expect(logger.warnings.filter((w) => w.toLowerCase().includes('callback host'))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('a sandbox that cannot be reached at start-up', () => {
  it('does not stop start-up', async () => {
    const logger = new CapturingLogger();
    const h = await startHarness({ logger, env: { MTN_MOMO_BASE_URL: 'http://127.0.0.1:9' } });
    try {
      expect(logger.warnings.some((w) => w.includes('Could not check'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
