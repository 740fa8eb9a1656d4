/** Where a failed round is reported; Nest's `Logger` fits. */
export interface RoundFailureLog {
  error(fields: { err: string }, message: string): void;
}

export interface RepeatingTaskOptions {
  /** Milliseconds between the end of one round and the start of the next. */
  intervalMs: number;
  /** Before the first round; `intervalMs` unless given (an hourly job should not wait an hour after each deploy). */
  firstDelayMs?: number;
  /** One round; its result is ignored. */
  run: () => Promise<unknown>;
  /** A failed round is logged here as an error line with this message; the task goes on. */
  logger: RoundFailureLog;
  failureMessage: string;
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
      void round
        .catch((err: unknown) =>
          this.options.logger.error(
            { err: err instanceof Error ? err.message : String(err) },
            this.options.failureMessage,
          ),
        )
        .finally(() => this.schedule());
    }, delayMs);
    this.timer.unref();
  }
}
