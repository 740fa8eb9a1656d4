import type { AxiosRequestConfig } from 'axios';
import type * as http from 'node:http';
import type * as https from 'node:https';
import type { MomoCredentialSet } from '../accounts/momo-account';

/** One HTTP exchange with MTN, before the headers of its kind are added. */
export interface Exchange {
  /** For the log line: `requestToPay`, `requestToPay.status`, `token`, `balance` … */
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  referenceId?: string;
  body?: object;
  callbackUrl?: string;
}

/** The token call: Basic credentials and the product key, nothing else (momo-api.md §4.1). */
export function tokenHeaders(credentials: MomoCredentialSet): Record<string, string> {
  return {
    Authorization: credentials.basicAuthorization(),
    'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
  };
}

/** A product call (momo-api.md §2): bearer token, product key, target environment, and for creates the reference and callback. */
export function productHeaders(
  credentials: MomoCredentialSet,
  targetEnvironment: string,
  token: string,
  exchange: Exchange,
): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
    'X-Target-Environment': targetEnvironment,
    ...(exchange.referenceId !== undefined && exchange.method === 'POST'
      ? { 'X-Reference-Id': exchange.referenceId }
      : {}),
    ...(exchange.callbackUrl !== undefined ? { 'X-Callback-Url': exchange.callbackUrl } : {}),
  };
}

export interface TransportOptions {
  timeoutMs: number;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/**
 * The axios request. Every status resolves (the mapper decides what an error is) and the body
 * stays text, since MTN's error pages are HTML as often as JSON.
 */
export function axiosRequest(
  baseUrl: string,
  exchange: Exchange,
  headers: Record<string, string>,
  transport: TransportOptions,
): AxiosRequestConfig<string> {
  const hasBody = exchange.body !== undefined;
  return {
    method: exchange.method,
    url: `${baseUrl}${exchange.path}`,
    headers: {
      Accept: 'application/json',
      ...headers,
      // MTN's gateway answers 411 to a body-less POST without Content-Length.
      ...(hasBody
        ? { 'Content-Type': 'application/json' }
        : exchange.method === 'POST'
          ? { 'Content-Length': '0' }
          : {}),
    },
    data: hasBody ? JSON.stringify(exchange.body) : undefined,
    timeout: transport.timeoutMs,
    // Also bounds a response that trickles in, which the socket idle timeout above would not.
    signal: AbortSignal.timeout(transport.timeoutMs + 1000),
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
    httpAgent: transport.httpAgent,
    httpsAgent: transport.httpsAgent,
  };
}
