import { CachedValue } from './cached-value';

describe('CachedValue', () => {
  let now = 0;
  const clock = () => now;

  it('computes once per period', async () => {
    let calls = 0;
    const value = new CachedValue(1000, () => Promise.resolve(++calls), clock);
    now = 0;
    expect(await value.get()).toBe(1);
    now = 999;
    expect(await value.get()).toBe(1);
    now = 1000;
    expect(await value.get()).toBe(2);
  });

  it('with a period of 0, computes every time, but once for callers asking together', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const value = new CachedValue(
      0,
      () => new Promise<number>((r) => (release = () => r(++calls))),
      clock,
    );
    const both = Promise.all([value.get(), value.get()]);
    release();
    expect(await both).toEqual([1, 1]);
    const next = value.get();
    release();
    expect(await next).toBe(2);
  });

  it('keeps no failure: the next caller tries again', async () => {
    let fail = true;
    const value = new CachedValue(
      60_000,
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve('up')),
      clock,
    );
    await expect(value.get()).rejects.toThrow('down');
    fail = false;
    await expect(value.get()).resolves.toBe('up');
  });
});
