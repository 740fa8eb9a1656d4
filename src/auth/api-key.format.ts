import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `mgw_3k9x0c2a_<43 characters>`: a fixed tag (so a leaked key is recognisable
 * in a secret scanner), an 8-character prefix that names the key in listings and logs, and 32
 * random bytes (base64url). Only the SHA-256 of the whole key is stored. A slow password hash would
 * buy nothing here: the secret has 256 bits of entropy, so the hash cannot be brute-forced, and a
 * fast hash keeps a cache miss cheap.
 */
export const API_KEY_TAG = 'mgw';
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PREFIX_LENGTH = 8;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^mgw_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
  /** Hex SHA-256 of `key`. */
  hash: string;
}

export function generateApiKey(random: (size: number) => Buffer = randomBytes): NewApiKey {
  // Rejection sampling: 252 = 7 × 36, so bytes below 252 map evenly onto the 36 characters.
  let prefix = '';
  while (prefix.length < PREFIX_LENGTH) {
    for (const byte of random(PREFIX_LENGTH * 2)) {
      if (byte < 252 && prefix.length < PREFIX_LENGTH) prefix += PREFIX_ALPHABET[byte % 36];
    }
  }
  const key = `${API_KEY_TAG}_${prefix}_${random(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, or undefined: a malformed key is refused without a lookup. */
export function prefixOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex SHA-256 digests. */
export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

/** How a key is shown in listings and logs: enough to tell keys apart, nothing that grants access. */
export function displayPrefix(prefix: string): string {
  return `${API_KEY_TAG}_${prefix}`;
}
