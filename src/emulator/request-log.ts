import type { IncomingHttpHeaders } from 'node:http';
import { RingBuffer } from './ring-buffer';

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw request body text, when there was one. */
  body?: string;
  /**
   * HTTP status answered; absent while held (timeout fault) or when the socket was reset. For a
   * lost-answer fault, the status MTN produced but the client never received.
   */
  status?: number;
  /** Response body text (for a lost-answer fault, the body that was never sent). */
  response?: string;
  fault?: 'timeout' | 'reset' | 'lost-answer';
}

export interface RequestLogFilter {
  method?: string;
  path?: string;
  pathPrefix?: string;
  status?: number;
  sinceSeq?: number;
  limit?: number;
}

/** Every MTN-path request, kept in memory (bounded) so tests can assert on what was sent. */
export class RequestLog {
  private readonly entries: RingBuffer<RequestLogEntry>;
  private seq = 0;

  constructor(size: number) {
    this.entries = new RingBuffer(size);
  }

  start(method: string, url: string, path: string, headers: IncomingHttpHeaders): RequestLogEntry {
    this.seq += 1;
    const entry: RequestLogEntry = {
      seq: this.seq,
      at: new Date().toISOString(),
      method,
      url,
      path,
      headers,
    };
    this.entries.push(entry);
    return entry;
  }

  query(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const matching = this.entries
      .toArray()
      .filter(
        (e) =>
          (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || e.path === filter.path) &&
          (filter.pathPrefix === undefined || e.path.startsWith(filter.pathPrefix)) &&
          (filter.status === undefined || e.status === filter.status) &&
          (filter.sinceSeq === undefined || e.seq > filter.sinceSeq),
      );
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  clear(): void {
    this.entries.clear();
  }
}
