import fc from 'fast-check';
import { canonicalJson, requestHash } from './request-hash';

const BODY = {
  amount: '1000',
  currency: 'UGX',
  externalId: 'ORDER_12345',
  payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
  payerMessage: 'Payment for Order 12345',
};

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson({ a: [3, 1, 2] })).toBe('{"a":[3,1,2]}');
  });

  it('keeps a __proto__ member as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe(
      '{"__proto__":{"x":1},"a":1}',
    );
  });

  it('drops undefined members, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe('requestHash', () => {
  it('is a SHA-256 hex digest', () => {
    expect(requestHash(BODY)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(requestHash(reversedKeys(value))).toBe(requestHash(value));
      }),
    );
  });

  it('differs when a value differs', () => {
    expect(requestHash({ ...BODY, amount: '1001' })).not.toBe(requestHash(BODY));
  });

  it('differs when a nested value differs', () => {
    expect(requestHash({ ...BODY, payer: { ...BODY.payer, partyId: '256774123457' } })).not.toBe(
      requestHash(BODY),
    );
  });

  it('tells a string amount from a numeric one', () => {
    expect(requestHash({ ...BODY, amount: 1000 })).not.toBe(requestHash(BODY));
  });
});
