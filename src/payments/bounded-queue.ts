import { AsyncResource } from 'node:async_hooks';

export interface BoundedQueueOptions {
  /** Items worked on at once (at least 1). */
  concurrency: number;
  /** Items that may wait for a free worker; `offer` refuses beyond it (0: none wait). */
  capacity: number;
}

interface Entry<T> {
  item: T;
  /** The async context of the `offer` call, so that the work runs in it (logs, traces). */
  scope: AsyncResource;
}

/**
 * A first-in, first-out work queue with a fixed number of workers and a bounded wait list. An
 * item offered when the list is full is refused at once (the caller decides what to do with
 * it), so memory and the work in flight both stay bounded however fast items arrive. Each item
 * is worked on in the async context it was offered in (the request's logger and trace). The
 * worker's own errors are the worker's business: a rejection is handed to `onError` and the
 * queue goes on.
 */
export class BoundedQueue<T> {
  private readonly waitingItems: Array<Entry<T>> = [];
  private active = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: BoundedQueueOptions,
    private readonly worker: (item: T) => Promise<void>,
    private readonly onError: (error: unknown, item: T) => void = () => undefined,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error('concurrency must be a whole number of at least 1');
    if (!Number.isInteger(options.capacity) || options.capacity < 0)
      throw new Error('capacity must be a whole number of at least 0');
  }

  /** Items being worked on. */
  get running(): number {
    return this.active;
  }

  /** Items waiting for a worker. */
  get waiting(): number {
    return this.waitingItems.length;
  }

  /** Starts `item` now, or queues it; false (and nothing done) when the wait list is full. */
  offer(item: T): boolean {
    if (
      this.active >= this.options.concurrency &&
      this.waitingItems.length >= this.options.capacity
    )
      return false;
    this.waitingItems.push({ item, scope: new AsyncResource('BoundedQueueItem') });
    this.pump();
    return true;
  }

  /** Removes and returns every item still waiting (those being worked on carry on). */
  takeWaiting(): T[] {
    return this.waitingItems.splice(0).map((entry) => {
      entry.scope.emitDestroy();
      return entry.item;
    });
  }

  /**
   * Resolves true once nothing runs or waits, or false when `timeoutMs` passes first (the queue
   * carries on either way).
   */
  onIdle(timeoutMs = Infinity): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutMs);
        timer.unref();
      }
    });
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waitingItems.length === 0;
  }

  private pump(): void {
    while (this.active < this.options.concurrency) {
      const entry = this.waitingItems.shift();
      if (!entry) break;
      this.active += 1;
      void entry.scope
        .runInAsyncScope(() => this.run(entry.item))
        .finally(() => {
          entry.scope.emitDestroy();
          this.active -= 1;
          this.pump();
          if (this.isIdle()) for (const waiter of this.idleWaiters.splice(0)) waiter();
        });
    }
  }

  private async run(item: T): Promise<void> {
    try {
      await this.worker(item);
    } catch (error) {
      try {
        this.onError(error, item);
      } catch {
        // A failing error handler must not stop the queue.
      }
    }
  }
}
