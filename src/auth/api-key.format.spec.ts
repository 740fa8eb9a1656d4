import { displayPrefix, generateApiKey, hashApiKey, hashesEqual, prefixOf } from './api-key.format';

describe('API key format', () => {
  it('generates mgw_<8-character prefix>_<43-character secret> and returns its prefix and SHA-256', () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^mgw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(k.key.startsWith(`mgw_${k.prefix}_`)).toBe(true);
    expect(k.hash).toBe(hashApiKey(k.key));
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('draws a fresh secret and prefix every time', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    const prefixes = new Set([...keys].map((k) => prefixOf(k)));
    expect(keys.size).toBe(200);
    expect(prefixes.size).toBe(200);
  });

  it('maps random bytes onto the prefix alphabet without the biased top values', () => {
    // 252..255 would favour the first four characters: they are skipped, not folded.
    const bytes = [255, 254, 253, 252, 0, 1, 2, 3, 4, 5, 6, 7];
    let call = 0;
    const random = (size: number): Buffer =>
      call++ === 0
        ? Buffer.from([...bytes, ...Array<number>(size - bytes.length).fill(251)])
        : Buffer.alloc(size, 7);
    expect(generateApiKey(random).prefix).toBe('abcdefgh');
  });

  it('finds the prefix of a well-formed key only', () => {
    const { key, prefix } = generateApiKey();
    expect(prefixOf(key)).toBe(prefix);
    expect(prefixOf(`${key}x`)).toBeUndefined();
    expect(prefixOf(key.replace('mgw_', 'xyz_'))).toBeUndefined();
    expect(prefixOf('')).toBeUndefined();
    expect(prefixOf('Bearer ' + key)).toBeUndefined();
  });

  it('compares digests in constant time and refuses anything that is not a SHA-256', () => {
    const a = hashApiKey('a');
    expect(hashesEqual(a, hashApiKey('a'))).toBe(true);
    expect(hashesEqual(a, hashApiKey('b'))).toBe(false);
    expect(hashesEqual(a, a.slice(0, 62))).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
  });

  it('shows a key as its tag and prefix', () => {
    expect(displayPrefix('ab12cd34')).toBe('mgw_ab12cd34');
  });
});
