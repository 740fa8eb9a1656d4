import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { isProduct, type Product } from '../common/product';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionsService } from '../transactions/transactions.service';
import { BoundedQueue } from './bounded-queue';
import { pollSoon, type CallbackRef } from './callback-poll-soon.query';
import { StatusSyncService } from './status-sync.service';

/**
 * What became of a callback: `forged` (unknown product, transaction or token), `duplicate` (the
 * transaction was already final), `confirmed` (the status was asked of MTN and applied),
 * `deferred` (no room in the confirmation queue: the transaction was made due for a poll),
 * `dropped` (not even that: the transaction keeps its own poll schedule).
 */
export type CallbackOutcome = 'forged' | 'duplicate' | 'confirmed' | 'deferred' | 'dropped';

/** A callback waiting for its confirmation. Only the status it claims is kept of its body. */
export interface ReceivedCallback extends CallbackRef {
  claimed: unknown;
}

/** Callbacks handed to the poller per statement. */
const POLL_SOON_BATCH = 1_000;
/** Callbacks waiting to be handed to the poller; beyond this they are dropped. */
const POLL_SOON_BACKLOG = 10_000;

const NO_COUNTS: Readonly<Record<CallbackOutcome, number>> = {
  forged: 0,
  duplicate: 0,
  confirmed: 0,
  deferred: 0,
  dropped: 0,
};

/**
 * What a callback does: nothing at all unless its URL names a transaction with the right token;
 * nothing more than a log line if that transaction is already final; otherwise the status is
 * asked of MTN and applied. The body is never trusted: anyone can send one.
 *
 * Callbacks are answered at once and confirmed afterwards through a bounded queue: at most
 * CALLBACK_CONCURRENCY confirmations at once (each holds a database connection while it reads
 * and writes), at most CALLBACK_QUEUE_CAPACITY waiting. A flood of callbacks therefore cannot
 * take the whole database pool from the API. A callback the queue has no room for is handed to
 * the poller instead: its transaction is made due for a poll now, by one UPDATE for all the
 * callbacks that arrive while the previous one runs. At shutdown the queue is drained for up to
 * CALLBACK_DRAIN_TIMEOUT_MS; what is still waiting then is handed to the poller the same way.
 */
@Injectable()
export class WebhookService implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookService.name);
  private readonly counts: Record<CallbackOutcome, number> = { ...NO_COUNTS };
  private readonly countsByProduct = new Map<Product, Record<CallbackOutcome, number>>();
  private readonly queue: BoundedQueue<ReceivedCallback>;
  /** Callbacks waiting for the next poll-soon statement. */
  private readonly forPoller: ReceivedCallback[] = [];
  private handingOver?: Promise<void>;
  private droppedSinceLog = 0;
  /** Outside any request: the poll-soon statements serve many callbacks, not the one that started them. */
  private readonly backgroundScope = new AsyncResource('CallbackPollSoon');

  constructor(
    private readonly transactions: TransactionsService,
    private readonly statusSync: StatusSyncService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.queue = new BoundedQueue<ReceivedCallback>(
      { concurrency: config.callbacks.concurrency, capacity: config.callbacks.queueCapacity },
      (callback) => this.confirm(callback).then(() => undefined),
      (err, callback) =>
        this.logger.warn(
          {
            referenceId: callback.id,
            product: callback.product,
            err: err instanceof Error ? err.message : String(err),
          },
          'callback handling failed',
        ),
    );
  }

  /**
   * Takes a callback in; never waits and never throws. `product` is the URL's word as sent: a
   * word that is no product is a forgery like any other.
   */
  receive(product: string, id: string, token: string, body: unknown): void {
    if (!isProduct(product)) {
      this.counts.forged += 1;
      this.logger.warn(
        { product: product.slice(0, 32), referenceId: id },
        'callback for an unknown product ignored',
      );
      return;
    }
    const claimed =
      typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
    const callback: ReceivedCallback = {
      product,
      id,
      token,
      // Bounded: a waiting callback holds a few short strings, whatever the body was.
      claimed:
        typeof claimed === 'string'
          ? claimed.slice(0, 32)
          : typeof claimed === 'object'
            ? undefined
            : claimed,
    };
    if (!this.queue.offer(callback)) this.handToPoller([callback]);
  }

  /** Confirms one callback with MTN (the queue's worker). Throws what MTN's status call throws. */
  async confirm(callback: ReceivedCallback): Promise<CallbackOutcome> {
    const { product, id, token, claimed } = callback;
    const tx = await this.transactions.findByCallbackToken(product, id, token);
    if (!tx) {
      this.count(product, 'forged');
      this.logger.warn(
        { product, referenceId: id },
        'callback with an unknown transaction or a wrong token ignored',
      );
      return 'forged';
    }
    if (tx.status !== 'PENDING') {
      this.count(product, 'duplicate');
      this.logger.log(
        { product, referenceId: id, status: tx.status, claimed },
        'callback for a final transaction',
      );
      return 'duplicate';
    }
    const result = await this.statusSync.refresh(tx, 'callback', 'live');
    this.count(product, 'confirmed');
    this.logger.log(
      {
        product,
        referenceId: id,
        claimed,
        status: result.transaction.status,
        changed: result.changed,
      },
      'callback confirmed with MTN',
    );
    return 'confirmed';
  }

  /**
   * Resolves once no confirmation runs or waits and nothing waits for the poller, or false when
   * `timeoutMs` passes first.
   */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await this.queue.onIdle(Math.max(0, deadline - Date.now())))) return false;
      if (!this.handingOver) return true;
      await this.handingOver;
    }
  }

  /** Drains the queue for up to CALLBACK_DRAIN_TIMEOUT_MS, then hands what still waits to the poller. */
  async onApplicationShutdown(): Promise<void> {
    if (!(await this.queue.onIdle(this.config.callbacks.drainTimeoutMs))) {
      const waiting = this.queue.takeWaiting();
      this.logger.warn(
        { waiting: waiting.length, running: this.queue.running },
        'shutdown: callbacks still waiting for confirmation are left to the poller',
      );
      this.handToPoller(waiting, true);
    }
    await this.handingOver;
  }

  /** Callbacks seen since start, by outcome (for metrics). */
  stats(): Readonly<Record<CallbackOutcome, number>> {
    return { ...this.counts };
  }

  /** The same, per product (the `product` label of `momo_callbacks_total`). */
  statsByProduct(): Array<{ product: Product } & Record<CallbackOutcome, number>> {
    return [...this.countsByProduct].map(([product, counts]) => ({ product, ...counts }));
  }

  /** Confirmations running and waiting, and callbacks waiting to be handed to the poller. */
  queueState(): { running: number; waiting: number; forPoller: number } {
    return {
      running: this.queue.running,
      waiting: this.queue.waiting,
      forPoller: this.forPoller.length,
    };
  }

  private handToPoller(callbacks: ReceivedCallback[], always = false): void {
    for (const callback of callbacks) {
      if (always || this.forPoller.length < POLL_SOON_BACKLOG) this.forPoller.push(callback);
      else {
        this.count(callback.product, 'dropped');
        this.droppedSinceLog += 1;
      }
    }
    // `handOver` always waits before it ends, so this is set before it is cleared.
    this.handingOver ??= this.backgroundScope.runInAsyncScope(() => this.handOver());
  }

  /**
   * One statement per batch, one at a time, until nothing waits. Cleared right after the last
   * look at `forPoller` (no await in between), so a callback added later starts another one.
   */
  private async handOver(): Promise<void> {
    try {
      // Let the callbacks arriving in the same moment join the first statement.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.forPoller.length > 0)
        await this.handOverBatch(this.forPoller.splice(0, POLL_SOON_BATCH));
    } finally {
      this.handingOver = undefined;
    }
  }

  private async handOverBatch(batch: ReceivedCallback[]): Promise<void> {
    const counted = { deferred: 0, duplicate: 0, forged: 0, dropped: 0 };
    try {
      const outcomes = await pollSoon(
        this.dataSource,
        batch,
        new Date(),
        this.config.polling.maxAttempts,
      );
      outcomes.forEach((outcome, i) => {
        this.count(batch[i]!.product, outcome);
        counted[outcome] += 1;
      });
    } catch (err) {
      // Nothing lost: each transaction is still polled on its own schedule.
      for (const callback of batch) this.count(callback.product, 'dropped');
      counted.dropped = batch.length;
      this.logger.error(
        { callbacks: batch.length, err: err instanceof Error ? err.message : String(err) },
        'callbacks could not be handed to the poller; their transactions keep their poll schedule',
      );
    }
    counted.dropped += this.droppedSinceLog;
    this.droppedSinceLog = 0;
    this.logger.warn(
      { ...counted, waiting: this.queue.waiting },
      'callbacks left to the poller (no room to confirm them now)',
    );
  }

  private count(product: Product, outcome: CallbackOutcome): void {
    this.counts[outcome] += 1;
    let counts = this.countsByProduct.get(product);
    if (!counts) this.countsByProduct.set(product, (counts = { ...NO_COUNTS }));
    counts[outcome] += 1;
  }
}
