import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HOST_NOT_ALLOWED, isHostAllowed } from './allowed-hosts';

export interface OutgoingNotification {
  url: string;
  /** The exact bytes that were signed. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * What came back: a status (any), or why none did, in our own short words. `refused`: no request
 * was made, and none would be made on a retry (the endpoint's host is not allowed).
 */
export type SendResult =
  | { kind: 'response'; status: number }
  | { kind: 'error'; error: string }
  | { kind: 'refused'; error: string };

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * The one place that calls consumers' URLs. Redirects are not followed (a 3xx is a failed
 * delivery: the URL to call is the registered one), the consumer's body is discarded unread, and
 * an error says what happened without the URL or anything the consumer sent.
 *
 * The host is checked against NOTIFICATIONS_ALLOWED_HOSTS here, not only at registration: an
 * endpoint registered before the list was set or narrowed must not be called either.
 */
@Injectable()
export class NotificationSender {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(n: OutgoingNotification): Promise<SendResult> {
    if (!isHostAllowed(this.config.notifications.allowedHosts, n.url))
      return { kind: 'refused', error: HOST_NOT_ALLOWED };
    try {
      const res = await fetch(n.url, {
        method: 'POST',
        headers: n.headers,
        body: n.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(n.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'response', status: res.status };
    } catch (error) {
      // Not `instanceof Error`: fetch's DOMException may come from another realm (e.g. under Jest).
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { kind: 'error', error: `timeout after ${n.timeoutMs} ms` };
      const code = causeCode(error);
      return {
        kind: 'error',
        error: code ? `network error (${code.slice(0, 40)})` : 'network error',
      };
    }
  }
}
