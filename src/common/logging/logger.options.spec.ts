import { safeUrl } from './logger.options';

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
