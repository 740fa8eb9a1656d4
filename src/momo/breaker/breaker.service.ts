import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
} from 'cockatiel';
import { DomainError } from '../../common/errors/domain-error';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isMtnTrouble } from '../client/momo-call.error';
import { MOMO_CLOCK, type Clock } from '../time/clock';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStateView {
  product: Product;
  accountId: string;
  state: BreakerState;
  /** ISO time the breaker last opened, while it is open or half-open. */
  openedAt?: string;
  /** While open: seconds until a trial call is let through. */
  retryAfterSeconds?: number;
}

export interface BreakerTransition {
  product: Product;
  accountId: string;
  from: BreakerState;
  to: BreakerState;
  at: string;
}

export type BreakerListener = (transition: BreakerTransition) => void;

/**
 * cockatiel compares `Date.now()` with the duration of this backoff to decide when an open circuit
 * may let a trial call through. Answering from our clock instead (minus infinity once the open
 * period has passed on it, infinity before) puts that decision under the injected clock, so tests
 * drive the 60 seconds instead of waiting them. cockatiel calls `next()` each time the circuit
 * opens (from closed or after a failed trial): that is when a new open period starts.
 */
class ClockedOpenPeriod implements IBackoff<unknown> {
  readonly openedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly openMs: number,
    private readonly onOpen: (period: ClockedOpenPeriod) => void,
  ) {
    this.openedAt = clock.now();
  }

  get duration(): number {
    return this.msUntilHalfOpen() === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }

  next(): ClockedOpenPeriod {
    const period = new ClockedOpenPeriod(this.clock, this.openMs, this.onOpen);
    this.onOpen(period);
    return period;
  }

  msUntilHalfOpen(): number {
    return Math.max(0, this.openedAt + this.openMs - this.clock.now());
  }
}

interface Breaker {
  product: Product;
  accountId: string;
  policy: CircuitBreakerPolicy;
  /** The latest open period; undefined until the circuit first opens. */
  halfOpen: ClockedOpenPeriod | undefined;
  state: BreakerState;
}

function breakerKey(product: Product, accountId: string): string {
  return `${product}\n${accountId}`;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One circuit breaker per product and MTN account, so an outage of Collection in one market
 * leaves Disbursement, and other markets, alone. Only MTN's own trouble counts against it
 * (network errors, timeouts, 429, 5xx without a business reason: `isMtnTrouble`); a business
 * answer such as PAYER_NOT_FOUND, or any 4xx, proves MTN is up and counts as a success, resetting
 * the consecutive-failure count. Open: calls fail at once with CIRCUIT_OPEN. After the open
 * period one trial call goes through (half-open); other calls still fail at once until it ends.
 */
@Injectable()
export class BreakerService {
  private readonly logger = new Logger(BreakerService.name);
  private readonly breakers = new Map<string, Breaker>();
  private readonly listeners = new Set<BreakerListener>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MOMO_CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs one attempt through the breaker of this product and account. */
  async execute<T>(product: Product, accountId: string, attempt: () => Promise<T>): Promise<T> {
    const breaker = this.breakerFor(product, accountId);
    // A trial is in flight: fail now instead of queueing behind it (cockatiel would queue).
    if (breaker.policy.state === CircuitState.HalfOpen) throw this.openError(breaker);
    let outcome: Outcome<T>;
    try {
      outcome = await breaker.policy.execute(async (): Promise<Outcome<T>> => {
        try {
          return { ok: true, value: await attempt() };
        } catch (error) {
          if (isMtnTrouble(error)) throw error;
          return { ok: false, error };
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.openError(breaker);
      throw error;
    }
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /** Fails at once with CIRCUIT_OPEN when a call could not go through now. */
  assertCallable(product: Product, accountId: string): void {
    const refusal = this.refusalFor(product, accountId);
    if (refusal) throw refusal;
  }

  /**
   * The CIRCUIT_OPEN error a call of this product and account would fail with right now (open, or
   * half-open with its trial in flight), or undefined when it would go through. Only looks: no
   * state changes, no breaker created. Once the open period is over the next call is the trial,
   * so this answers undefined and lets it through.
   */
  refusalFor(product: Product, accountId: string): DomainError | undefined {
    const breaker = this.breakers.get(breakerKey(product, accountId));
    if (!breaker) return undefined;
    const view = this.viewOf(breaker);
    if (view.state === 'open' || breaker.policy.state === CircuitState.HalfOpen)
      return this.openError(breaker);
    return undefined;
  }

  getStates(): BreakerStateView[] {
    return [...this.breakers.values()].map((b) => this.viewOf(b));
  }

  /** A hook for metrics; returns the function that removes it. */
  onStateChange(listener: BreakerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates the breakers up front so that `getStates()` lists every account and product. */
  register(product: Product, accountId: string): void {
    this.breakerFor(product, accountId);
  }

  private breakerFor(product: Product, accountId: string): Breaker {
    const key = breakerKey(product, accountId);
    const existing = this.breakers.get(key);
    if (existing) return existing;
    const { failureThreshold, openSeconds } = this.config.momo.breaker;
    const state: Omit<Breaker, 'policy'> = {
      product,
      accountId,
      halfOpen: undefined,
      state: 'closed',
    };
    const onOpen = (period: ClockedOpenPeriod): void => {
      state.halfOpen = period;
    };
    const halfOpenAfter: IBackoffFactory<unknown> = {
      next: () => new ClockedOpenPeriod(this.clock, openSeconds * 1000, onOpen).next(),
    };
    const policy = circuitBreaker(handleAll, {
      breaker: new ConsecutiveBreaker(failureThreshold),
      halfOpenAfter,
    });
    const breaker: Breaker = Object.assign(state, { policy });
    breaker.policy.onStateChange((state) => this.transition(breaker, state));
    this.breakers.set(key, breaker);
    return breaker;
  }

  private transition(breaker: Breaker, state: CircuitState): void {
    const to: BreakerState =
      state === CircuitState.Closed
        ? 'closed'
        : state === CircuitState.HalfOpen
          ? 'half-open'
          : 'open';
    const from = breaker.state;
    if (from === to) return;
    breaker.state = to;
    const event: BreakerTransition = {
      product: breaker.product,
      accountId: breaker.accountId,
      from,
      to,
      at: new Date(this.clock.now()).toISOString(),
    };
    const line = { product: event.product, accountId: event.accountId, from, to };
    if (to === 'open') this.logger.warn(line, `MTN circuit breaker ${from} -> ${to}`);
    else this.logger.log(line, `MTN circuit breaker ${from} -> ${to}`);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          'Circuit breaker listener failed',
        );
      }
    }
  }

  private viewOf(breaker: Breaker): BreakerStateView {
    const base = { product: breaker.product, accountId: breaker.accountId };
    const state = breaker.policy.state;
    if (state === CircuitState.Closed || !breaker.halfOpen) return { ...base, state: 'closed' };
    const openedAt = new Date(breaker.halfOpen.openedAt).toISOString();
    if (state === CircuitState.HalfOpen) return { ...base, state: 'half-open', openedAt };
    const waitMs = breaker.halfOpen.msUntilHalfOpen();
    // Open, but the period is over: the next call will be the trial.
    if (waitMs === 0) return { ...base, state: 'half-open', openedAt };
    return { ...base, state: 'open', openedAt, retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }

  private openError(breaker: Breaker): DomainError {
    const waitMs = breaker.halfOpen?.msUntilHalfOpen() ?? 0;
    return new DomainError('CIRCUIT_OPEN', `MTN ${breaker.product} is failing; calls are paused`, {
      // Half-open with a trial in flight: worth trying again very soon.
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      details: [
        { message: 'circuit breaker', product: breaker.product, accountId: breaker.accountId },
      ],
    });
  }
}
