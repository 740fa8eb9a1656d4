import type { EmulatorSettings } from './options';
import type { Random } from './prng';
import { RingBuffer } from './ring-buffer';

export type CallbackOutcome = 'delivered' | 'failed' | 'dropped';

export interface CallbackRecord {
  seq: number;
  at: string;
  referenceId: string;
  url: string;
  method: string;
  body: string;
  attempt: number;
  duplicate: boolean;
  outcome: CallbackOutcome;
  httpStatus?: number;
  error?: string;
}

interface Delivery {
  referenceId: string;
  url: string;
  method: string;
  body: string;
  duplicate: boolean;
}

/** Headers of MTN's callbacks as observed: JSON, the LWAC agent, no signature, no auth. */
const CALLBACK_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'user-agent': 'LWAC Http Client 1.0',
};

/**
 * Sends callbacks in the background. Delivery failures are recorded (and retried only when the
 * settings ask); nothing here can fail the transaction that triggered the callback.
 * `whenIdle()` lets tests wait for every scheduled delivery instead of sleeping.
 */
export class CallbackDispatcher {
  readonly records: RingBuffer<CallbackRecord>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private seq = 0;
  /** Bumped by cancelAll, so that deliveries still in flight across a reset leave no trace. */
  private generation = 0;

  constructor(
    private readonly settings: EmulatorSettings,
    private readonly random: () => Random,
    private readonly log: (line: string) => void,
    logSize: number,
  ) {
    this.records = new RingBuffer(logSize);
  }

  dispatch(referenceId: string, url: string, method: string, body: string): void {
    const delivery: Delivery = { referenceId, url, method, body, duplicate: false };
    if (this.shouldDrop()) {
      this.record(delivery, 0, 'dropped');
      return;
    }
    this.schedule(delivery, 1, this.settings.callbackDelayMs);
    if (this.settings.duplicateCallbacks) {
      this.schedule(
        { ...delivery, duplicate: true },
        1,
        this.settings.callbackDelayMs + this.settings.duplicateCallbackDelayMs,
      );
    }
  }

  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    for (const controller of this.controllers) controller.abort();
    this.timers.clear();
    this.controllers.clear();
    this.inFlight = 0;
    this.wakeIdle();
  }

  private shouldDrop(): boolean {
    if (this.settings.callbackDropNext > 0) {
      this.settings.callbackDropNext -= 1;
      return true;
    }
    return this.settings.callbackDropRate > 0 && this.random()() < this.settings.callbackDropRate;
  }

  private schedule(delivery: Delivery, attempt: number, delayMs: number): void {
    this.inFlight += 1;
    const generation = this.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.send(delivery, attempt).finally(() => {
        if (generation === this.generation) this.settle();
      });
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private settle(): void {
    if (this.inFlight > 0) this.inFlight -= 1;
    if (this.inFlight === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private async send(delivery: Delivery, attempt: number): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.settings.callbackTimeoutMs);
    try {
      const response = await fetch(delivery.url, {
        method: delivery.method,
        headers: CALLBACK_HEADERS,
        body: delivery.body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      if (generation !== this.generation) return;
      if (response.ok) {
        this.record(delivery, attempt, 'delivered', response.status);
        return;
      }
      this.fail(delivery, attempt, `HTTP ${response.status}`, response.status);
    } catch (error) {
      if (generation !== this.generation) return;
      this.fail(delivery, attempt, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  private fail(delivery: Delivery, attempt: number, error: string, httpStatus?: number): void {
    this.record(delivery, attempt, 'failed', httpStatus, error);
    this.log(
      `callback ${delivery.method} ${delivery.url} for ${delivery.referenceId} failed (attempt ${attempt}): ${error}`,
    );
    if (attempt <= this.settings.callbackRetries) {
      this.schedule(delivery, attempt + 1, this.settings.callbackRetryDelayMs);
    }
  }

  private record(
    delivery: Delivery,
    attempt: number,
    outcome: CallbackOutcome,
    httpStatus?: number,
    error?: string,
  ): void {
    this.seq += 1;
    this.records.push({
      seq: this.seq,
      at: new Date().toISOString(),
      referenceId: delivery.referenceId,
      url: delivery.url,
      method: delivery.method,
      body: delivery.body,
      attempt,
      duplicate: delivery.duplicate,
      outcome,
      httpStatus,
      error,
    });
  }
}
