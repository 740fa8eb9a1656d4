/** What a failed round is reported to; the task itself goes on. */
export type RoundFailure = (err: unknown) => void;

export interface RepeatingTaskOptions {
  /** Milliseconds between the end of one round and the start of the next. */
  intervalMs: number;
  /** Before the first round; `intervalMs` unless given (an hourly job should not wait an hour after each deploy). */
  firstDelayMs?: number;
  /** One round; its result is ignored, its failure goes to `onError`. */
  run: () => Promise<unknown>;
  onError: RoundFailure;
}

/**
 * A background loop for work that claims rows from PostgreSQL (polling, notification delivery):
 * one round at a time, the next scheduled only once the previous one has ended, so a slow round
 * never overlaps the next. The timer does not keep the process alive; `stop()` cancels the next
 * round and waits for the running one, so a module can be destroyed while the pool is still open.
 */
export class RepeatingTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(private readonly options: RepeatingTaskOptions) {}

  /** True once `stop()` was called: a long round checks it between batches and returns early. */
  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    if (this.stopping || this.timer) return;
    this.schedule(this.options.firstDelayMs ?? this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs = this.options.intervalMs): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      const round = this.options.run();
      this.running = round;
      void round.catch(this.options.onError).finally(() => this.schedule());
    }, delayMs);
    this.timer.unref();
  }
}
