import * as fs from 'node:fs';
import * as path from 'node:path';
import { signatureHeader, verifySignature } from '../../src/notifications/signature';

type Verify = (
  secret: string,
  header: string | undefined,
  rawBody: Buffer | string,
  toleranceSeconds?: number,
) => boolean;

/** The Node.js snippet consumers copy from docs/notifications.md, run as it is written there. */
function snippet(): Verify {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'notifications.md'), 'utf8');
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('function verifyMomoGatewaySignature'));
  if (!block) throw new Error('docs/notifications.md has no verifyMomoGatewaySignature snippet');
  const module = { exports: {} as { verifyMomoGatewaySignature?: Verify } };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the documented code, run as consumers would
  new Function('require', 'module', block)(require, module);
  if (!module.exports.verifyMomoGatewaySignature)
    throw new Error('the snippet exports no verifyMomoGatewaySignature');
  return module.exports.verifyMomoGatewaySignature;
}

describe('the verification snippet in docs/notifications.md', () => {
  const verify = snippet();
  const secret = 'whsec_documented';
  const body =
    '{"id":"d","type":"transaction.failed","data":{"id":"t","reason":"PAYER_NOT_FOUND","amount":"12.50"}}';

  it('accepts what the gateway signs now, as a Buffer or a string', () => {
    const header = signatureHeader(secret, body, new Date());
    expect(verify(secret, header, Buffer.from(body, 'utf8'))).toBe(true);
    expect(verify(secret, header, body)).toBe(true);
  });

  it('refuses what verifySignature refuses: another secret, another body, an old timestamp, no header', () => {
    const now = new Date();
    const header = signatureHeader(secret, body, now);
    const old = signatureHeader(secret, body, new Date(now.getTime() - 6 * 60_000));
    for (const [s, h, b] of [
      ['whsec_other', header, body],
      [secret, header, body.replace('12.50', '1250')],
      [secret, old, body],
      [secret, undefined, body],
      [secret, 'nonsense', body],
    ] as const) {
      expect(verify(s, h, b)).toBe(false);
      expect(verifySignature(s, h, b, now)).toBe(false);
    }
  });
});
