import { randomUUID } from 'node:crypto';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when empty or not JSON; loosely typed, tests assert its shape. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  text: string;
  contentType: string | null;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function uuid(): string {
  return randomUUID();
}

export async function admin(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  return http(`${baseUrl}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
