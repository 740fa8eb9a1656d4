import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's timestamp may be from the receiver's clock (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `<t>.<raw body>` under the endpoint's secret (the whole `whsec_…` string). */
export function signaturePayloadHmac(
  secret: string,
  timestampSeconds: number,
  rawBody: string | Buffer,
): string {
  return createHmac('sha256', secret)
    .update(`${timestampSeconds}.`, 'utf8')
    .update(rawBody)
    .digest('hex');
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (the X-MoMo-Gateway-Signature header). */
export function signatureHeader(secret: string, rawBody: string | Buffer, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${signaturePayloadHmac(secret, t, rawBody)}`;
}

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

function parseHeader(header: string): ParsedHeader | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values may come (a future secret rotation); unknown schemes are ignored.
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/**
 * True when `header` carries a v1 signature of `rawBody` (the bytes exactly as received, before
 * any JSON parsing) under `secret`, made within `toleranceSeconds` of `now`. Compared in constant
 * time. This is the check docs/notifications.md shows consumers.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: string | Buffer,
  now: Date = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  const parsed = parseHeader(header);
  if (!parsed) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - parsed.timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signaturePayloadHmac(secret, parsed.timestamp, rawBody), 'hex');
  return parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
