import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './signature';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"d1","type":"transaction.succeeded","data":{"amount":"1000"}}';
const AT = new Date('2026-03-01T12:00:00.000Z');
const T = AT.getTime() / 1000;

describe('notification signatures', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256 under the secret, as t=…,v1=<hex>', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signatureHeader(SECRET, BODY, AT)).toBe(`t=${T},v1=${expected}`);
  });

  it('uses whole seconds for t', () => {
    expect(signatureHeader(SECRET, BODY, new Date(AT.getTime() + 999))).toMatch(
      new RegExp(`^t=${T},`),
    );
  });

  it('verifies its own signature, from a string or the same bytes', () => {
    const header = signatureHeader(SECRET, BODY, AT);
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(true);
    expect(verifySignature(SECRET, header, Buffer.from(BODY, 'utf8'), AT)).toBe(true);
  });

  it('refuses another secret, a changed body or a changed timestamp', () => {
    const header = signatureHeader(SECRET, BODY, AT);
    expect(verifySignature('whsec_other', header, BODY, AT)).toBe(false);
    expect(verifySignature(SECRET, header, BODY.replace('1000', '9000'), AT)).toBe(false);
    expect(verifySignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, AT)).toBe(false);
  });

  it('accepts a timestamp up to 5 minutes away either way, and refuses beyond', () => {
    const header = signatureHeader(SECRET, BODY, AT);
    expect(verifySignature(SECRET, header, BODY, new Date(AT.getTime() + 300_000))).toBe(true);
    expect(verifySignature(SECRET, header, BODY, new Date(AT.getTime() - 300_000))).toBe(true);
    expect(verifySignature(SECRET, header, BODY, new Date(AT.getTime() + 301_000))).toBe(false);
    expect(verifySignature(SECRET, header, BODY, new Date(AT.getTime() - 301_000))).toBe(false);
    expect(verifySignature(SECRET, header, BODY, new Date(AT.getTime() + 3_600_000), 7200)).toBe(
      true,
    );
  });

  it('accepts any matching v1 among several and ignores unknown schemes and spaces', () => {
    const good = signatureHeader(SECRET, BODY, AT).split(',')[1]!;
    const header = `t=${T}, v0=abc, v1=${'0'.repeat(64)}, ${good}`;
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', `t=${T}`],
    ['short signature', `t=${T},v1=abcd`],
    ['non-numeric timestamp', `t=soon,v1=${'a'.repeat(64)}`],
    ['garbage', 'not a header at all'],
  ])('refuses a malformed header (%s) without throwing', (_name, header) => {
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(false);
  });
});
