import type { IncomingMessage } from 'node:http';

const TAGS = Symbol.for('momo-gateway.observability.request-tags');

/** What the metrics hooks learn about a request while it runs, kept on the raw request. */
export interface RequestTags {
  /** The Nest handler that ran. */
  handler?: string;
  /** The error body's `code`. */
  errorCode?: string;
}

export function requestTags(req: IncomingMessage): RequestTags {
  const holder = req as IncomingMessage & { [TAGS]?: RequestTags };
  return (holder[TAGS] ??= {});
}
