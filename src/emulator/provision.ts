import { randomUUID } from 'node:crypto';

export const MTN_SANDBOX_URL = 'https://sandbox.momodeveloper.mtn.com';

export interface ProvisionSandboxUserInput {
  /** Default: MTN's sandbox. */
  baseUrl?: string;
  /** Any product's subscription key. */
  subscriptionKey: string;
  /** Bare host name that callbacks will be sent to (no scheme, no port). */
  callbackHost: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export interface SandboxUser {
  apiUser: string;
  apiKey: string;
  targetEnvironment: string;
}

export class ProvisioningError extends Error {
  constructor(
    readonly step: 'create user' | 'create key' | 'read user',
    readonly status: number,
    readonly body: string,
  ) {
    super(`MoMo sandbox provisioning failed at "${step}": HTTP ${status} ${body.slice(0, 200)}`);
    this.name = 'ProvisioningError';
  }
}

async function call(
  url: string,
  init: RequestInit,
  step: ProvisioningError['step'],
  expected: number,
  timeoutMs: number,
): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (response.status !== expected) throw new ProvisioningError(step, response.status, text);
  return text;
}

function field(json: string, name: string, step: ProvisioningError['step']): string {
  let value: unknown;
  try {
    value = (JSON.parse(json) as Record<string, unknown>)[name];
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string') throw new ProvisioningError(step, 200, `no ${name} in ${json}`);
  return value;
}

/**
 * Creates a sandbox API user and its key the way MTN documents it: POST /v1_0/apiuser with a
 * fresh UUID v4, POST its /apikey with an empty body (fetch sends Content-Length: 0 for a
 * body-less POST, without which MTN answers 411), then GET the user for its environment.
 * Self-contained so that the gateway's CLI can import it.
 */
export async function provisionSandboxUser(input: ProvisionSandboxUserInput): Promise<SandboxUser> {
  const baseUrl = (input.baseUrl ?? MTN_SANDBOX_URL).replace(/\/+$/, '');
  const timeoutMs = input.timeoutMs ?? 30_000;
  const apiUser = randomUUID();
  const key = { 'Ocp-Apim-Subscription-Key': input.subscriptionKey };
  await call(
    `${baseUrl}/v1_0/apiuser`,
    {
      method: 'POST',
      headers: { ...key, 'X-Reference-Id': apiUser, 'Content-Type': 'application/json' },
      body: JSON.stringify({ providerCallbackHost: input.callbackHost }),
    },
    'create user',
    201,
    timeoutMs,
  );
  const keyBody = await call(
    `${baseUrl}/v1_0/apiuser/${apiUser}/apikey`,
    { method: 'POST', headers: key, body: null },
    'create key',
    201,
    timeoutMs,
  );
  const userBody = await call(
    `${baseUrl}/v1_0/apiuser/${apiUser}`,
    { method: 'GET', headers: key },
    'read user',
    200,
    timeoutMs,
  );
  return {
    apiUser,
    apiKey: field(keyBody, 'apiKey', 'create key'),
    targetEnvironment: field(userBody, 'targetEnvironment', 'read user'),
  };
}
