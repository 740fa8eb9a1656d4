import { redactPath } from './url-redaction';

describe('redactPath', () => {
  it('replaces phone numbers in path segments', () => {
    expect(redactPath('/collection/v1_0/accountholder/msisdn/256774123456/active')).toBe(
      '/collection/v1_0/accountholder/msisdn/{msisdn}/active',
    );
    expect(redactPath('/v1/collections/account-holders/256774123456?country=UG')).toBe(
      '/v1/collections/account-holders/{msisdn}?country=UG',
    );
    expect(redactPath('/v1/collections/account-holders/+256774123456')).toBe(
      '/v1/collections/account-holders/{msisdn}',
    );
  });

  it('keeps ids, versions and short numbers', () => {
    expect(redactPath('/collection/v1_0/requesttopay/6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10')).toBe(
      '/collection/v1_0/requesttopay/6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10',
    );
    expect(redactPath('/v2_0/page/12345')).toBe('/v2_0/page/12345');
  });

  it('hides the secret token of a callback URL', () => {
    expect(
      redactPath('/v1/webhooks/mtn/collection/6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10/s3cr3t-t0ken'),
    ).toBe('/v1/webhooks/mtn/collection/6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10/{token}');
  });
});
