import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RepeatingTask } from '../common/scheduling/repeating-task';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import {
  claimDueDeliveries,
  recordAttempt,
  type AttemptResult,
  type ClaimedDelivery,
} from './delivery-claim.query';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER } from './notification.types';
import { NotificationSender } from './notification.sender';
import { afterFailure, type RandomSource } from './retry-schedule';
import { signatureHeader } from './signature';

/** The jitter source of the retry schedule (`Math.random` in production). */
export const NOTIFICATION_RANDOM = Symbol('NOTIFICATION_RANDOM');

/** Rows claimed at once; all of a batch are sent concurrently. */
const BATCH = 16;
/** How long a claimed row is held beyond the send timeout before another worker may take it. */
const LEASE_MARGIN_MS = 60_000;

/** The body consumers receive; `id` and `type` are inside the signed bytes, unlike the headers. */
export function deliveryBody(
  d: Pick<ClaimedDelivery, 'id' | 'event' | 'createdAt' | 'payload'>,
): string {
  return JSON.stringify({
    id: d.id,
    type: d.event,
    createdAt: d.createdAt.toISOString(),
    data: d.payload,
  });
}

/**
 * Delivers the notification outbox: every NOTIFICATIONS_INTERVAL_MS it claims due rows with
 * `FOR UPDATE SKIP LOCKED` (any number of replicas deliver each row once), POSTs each, signed,
 * to its endpoint, and records DELIVERED (2xx), the next try (backoff with jitter), or FAILED
 * once 24 hours of tries have passed (at once, with no request made, when the endpoint's host is
 * not in NOTIFICATIONS_ALLOWED_HOSTS). Delivery is at least once: a worker that dies after the
 * consumer answered but before recording it leaves the row to be sent again when its lease ends,
 * so consumers dedupe on X-MoMo-Gateway-Delivery.
 */
@Injectable()
export class NotificationDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationDeliveryWorker.name);
  private readonly task: RepeatingTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly sender: NotificationSender,
    private readonly metrics: MetricsService,
    @Inject(NOTIFICATION_RANDOM) private readonly random: RandomSource,
  ) {
    this.task = new RepeatingTask({
      intervalMs: config.notifications.intervalMs,
      run: () => this.deliverOnce(),
      logger: this.logger,
      failureMessage: 'notification round failed',
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.notifications.enabled) this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /**
   * One round: claims what is due and attempts each. Returns how many attempts were made. `now`
   * freezes the clock for the whole round (claims, signatures, the retry schedule): tests step
   * through a day of retries without waiting. Without it, each step reads the system clock.
   */
  async deliverOnce(now?: Date): Promise<number> {
    const clock = now ? () => now : () => new Date();
    const { timeoutMs } = this.config.notifications;
    let attempted = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction((manager) =>
        claimDueDeliveries(manager, {
          limit: BATCH,
          now: clock(),
          leaseMs: timeoutMs + LEASE_MARGIN_MS,
        }),
      );
      if (claimed.length === 0) return attempted;
      await Promise.all(claimed.map((d) => this.attemptSafely(d, clock)));
      attempted += claimed.length;
      if (claimed.length < BATCH || this.task.stopped) return attempted;
    }
  }

  private async attempt(d: ClaimedDelivery, clock: () => Date): Promise<void> {
    const body = deliveryBody(d);
    const sent = await this.sender.send({
      url: d.url,
      body,
      timeoutMs: this.config.notifications.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'momo-gateway-notifications/1',
        [SIGNATURE_HEADER]: signatureHeader(d.secret, body, clock()),
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
      },
    });
    const at = clock();
    const ok = sent.kind === 'response' && sent.status >= 200 && sent.status < 300;
    let result: AttemptResult;
    if (ok) {
      result = { kind: 'delivered', at, statusCode: sent.status };
    } else if (sent.kind === 'refused') {
      // Retrying cannot help: only a change of NOTIFICATIONS_ALLOWED_HOSTS (and a replay) can.
      result = { kind: 'failed', statusCode: null, error: sent.error };
    } else {
      const statusCode = sent.kind === 'response' ? sent.status : null;
      const error = sent.kind === 'response' ? `HTTP ${sent.status}` : sent.error;
      const next = afterFailure(d.attempts, at, d.retryUntil, this.random);
      result =
        next.kind === 'retry'
          ? { kind: 'retry', next: next.at, statusCode, error }
          : { kind: 'failed', statusCode, error };
    }
    // Replayed or re-claimed meanwhile: the newer attempt owns the row and records its own result.
    const recorded = await this.dataSource.transaction((manager) =>
      recordAttempt(manager, d, result),
    );
    const outcome = recorded ? result.kind : 'superseded';
    this.metrics.notificationDelivery(outcome);
    const error = result.kind === 'delivered' ? undefined : result.error;
    const fields = {
      deliveryId: d.id,
      endpointId: d.endpointId,
      event: d.event,
      attempt: d.attempts,
      outcome,
      ...(error ? { error } : {}),
    };
    if (outcome === 'failed' && sent.kind === 'refused')
      this.logger.warn(fields, 'notification not sent: endpoint host not allowed');
    else if (outcome === 'failed')
      this.logger.warn(fields, 'notification given up after its retry window');
    else if (outcome !== 'delivered')
      this.logger.log(fields, 'notification attempt did not deliver');
  }

  /** One failing attempt (its result could not be recorded) must not stop the others of the batch. */
  private async attemptSafely(d: ClaimedDelivery, clock: () => Date): Promise<void> {
    try {
      await this.attempt(d, clock);
    } catch (err) {
      // The row keeps its lease and is tried again when the lease ends.
      this.logger.error(
        { deliveryId: d.id, err: err instanceof Error ? err.message : String(err) },
        'notification attempt could not be recorded',
      );
    }
  }
}
