import { loggerOptions, safeUrl } from './logger.options';

describe('safeUrl', () => {
  it('hides the secret token of an MTN callback URL', () => {
    expect(safeUrl('/v1/webhooks/mtn/collection/3f8a2c1e-5b7d-4e9a-8c21-7d4f0b6a9e12/s3cr3t-token')).toBe(
      '/v1/webhooks/mtn/collection/3f8a2c1e-5b7d-4e9a-8c21-7d4f0b6a9e12/[redacted]',
    );
  });

  it('leaves other URLs alone', () => {
    expect(safeUrl('/v1/collections/abc?limit=2')).toBe('/v1/collections/abc?limit=2');
  });
});

describe('loggerOptions', () => {
  it("drops pino-http's invented error (and its stack) from the line of a 5xx answer", () => {
    const config = { log: { pretty: false, level: 'info', requests: true } } as unknown as Parameters<typeof loggerOptions>[0];
    const [options] = loggerOptions(config).pinoHttp as [{ customErrorObject: (...args: unknown[]) => Record<string, unknown> }];
    const line = options.customErrorObject({}, {}, new Error('failed with status code 503'), { res: { statusCode: 503 }, err: new Error('x'), responseTime: 3 });
    expect(line).toEqual({ res: { statusCode: 503 }, responseTime: 3 });
  });
});
