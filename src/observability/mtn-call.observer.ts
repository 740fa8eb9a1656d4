import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { MomoCallError } from '../momo/client/momo-call.error';
import { MomoClient, type MtnExchangeInfo } from '../momo/client/momo-client';
import { MetricsService } from './metrics.service';
import { TRACER_NAME } from './tracing.constants';

/** Span attributes of an MTN exchange (the gateway's own namespace, `momo.*`). */
export const MTN_SPAN_ATTRIBUTES = {
  product: 'momo.product',
  operation: 'momo.operation',
  referenceId: 'momo.reference_id',
  attempt: 'momo.attempt',
  accountId: 'momo.account_id',
  httpStatus: 'http.response.status_code',
  errorCode: 'momo.error_code',
} as const;

/**
 * The `status` label of an exchange: MTN's HTTP status when it answered, else how it failed
 * (`timeout`, `network`, `invalid-response`), else `error`.
 */
export function mtnStatusOf(outcome: { answer?: { status: number }; error?: unknown }): string {
  if (outcome.answer) return String(outcome.answer.status);
  const error = outcome.error;
  if (error instanceof MomoCallError) {
    return error.httpStatus !== undefined ? String(error.httpStatus) : error.kind;
  }
  return 'error';
}

/**
 * Around every HTTP exchange with MTN (through `MomoClient.observeExchanges`): times it into
 * `momo_mtn_request_duration_seconds`, counts token refreshes, and wraps it in a span
 * `MTN <operation>` carrying product, operation, reference id, attempt, account and HTTP status.
 * The span is active while the request is sent, so the http instrumentation's client span (and the
 * `traceparent` it sends) is its child. With tracing off the tracer is OpenTelemetry's no-op one.
 */
@Injectable()
export class MtnCallObserver implements OnModuleInit, OnModuleDestroy {
  private readonly tracer = trace.getTracer(TRACER_NAME);
  private stop?: () => void;

  constructor(
    private readonly client: MomoClient,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.stop = this.client.observeExchanges((info, send) => this.observe(info, send));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  observe<T>(info: MtnExchangeInfo, send: () => Promise<T>): Promise<T> {
    const attributes = {
      [MTN_SPAN_ATTRIBUTES.operation]: info.operation,
      [MTN_SPAN_ATTRIBUTES.attempt]: info.attempt,
      [MTN_SPAN_ATTRIBUTES.accountId]: info.accountId,
      ...(info.product !== undefined ? { [MTN_SPAN_ATTRIBUTES.product]: info.product } : {}),
      ...(info.referenceId !== undefined
        ? { [MTN_SPAN_ATTRIBUTES.referenceId]: info.referenceId }
        : {}),
    };
    return this.tracer.startActiveSpan(
      `MTN ${info.operation}`,
      { kind: SpanKind.INTERNAL, attributes },
      async (span) => {
        const started = performance.now();
        try {
          const answer = await send();
          this.finish(info, span, started, { answer: answer as { status: number } });
          return answer;
        } catch (error) {
          this.finish(info, span, started, { error });
          throw error;
        }
      },
    );
  }

  private finish(
    info: MtnExchangeInfo,
    span: Span,
    started: number,
    outcome: { answer?: { status: number }; error?: unknown },
  ): void {
    const status = mtnStatusOf(outcome);
    this.metrics.mtnExchange(
      { product: info.product ?? 'none', operation: info.operation, status },
      (performance.now() - started) / 1000,
    );
    if (info.endpoint === 'token')
      this.metrics.tokenRefresh(info.product, outcome.error === undefined);
    const httpStatus =
      outcome.answer?.status ??
      (outcome.error instanceof MomoCallError ? outcome.error.httpStatus : undefined);
    if (httpStatus !== undefined) span.setAttribute(MTN_SPAN_ATTRIBUTES.httpStatus, httpStatus);
    if (outcome.error !== undefined) {
      const code = outcome.error instanceof MomoCallError ? outcome.error.code : 'UNEXPECTED';
      span.setAttribute(MTN_SPAN_ATTRIBUTES.errorCode, code);
      // Our code only: MTN's body and message never go into a span, as they never go into a log.
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    }
    span.end();
  }
}
