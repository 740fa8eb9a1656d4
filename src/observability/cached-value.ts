/**
 * A value computed at most once per `ttlMs` (0: every time), with one computation in flight however
 * many callers ask at once. A failed computation is not kept: the next caller tries again.
 */
export class CachedValue<T> {
  private value?: { at: number; value: T };
  private inFlight?: Promise<T>;

  constructor(
    private readonly ttlMs: number,
    private readonly compute: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs)
      return Promise.resolve(this.value.value);
    if (this.inFlight) return this.inFlight;
    const running = this.compute()
      .then((value) => {
        this.value = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = running;
    return running;
  }
}
