import type { ApiUserCredentials, Product, RunningEmulator } from '../../../src/emulator/emulator';
import { http, uuid, type HttpResult, type RecordedExchange } from './http';

export interface CallOptions {
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  referenceId?: string;
  callbackUrl?: string;
  /** Default: the user's own target environment. */
  targetEnvironment?: string | null;
  /** Default: a fresh access token of the path's product. */
  bearer?: string | null;
  subscriptionKey?: string | null;
}

/**
 * A minimal MoMo client for behaviour tests: one API user, one token per product, every
 * exchange optionally handed to a recorder (the conformance test validates them all).
 */
export class MomoTestClient {
  private readonly tokens = new Map<Product, string>();

  constructor(
    readonly emulator: RunningEmulator,
    readonly user: ApiUserCredentials,
    private readonly recorder?: (exchange: RecordedExchange) => void,
  ) {}

  static create(
    emulator: RunningEmulator,
    user: Partial<ApiUserCredentials> = {},
    recorder?: (exchange: RecordedExchange) => void,
  ): MomoTestClient {
    return new MomoTestClient(
      emulator,
      emulator.createApiUser({ providerCallbackHost: '127.0.0.1', ...user }),
      recorder,
    );
  }

  key(product: Product): string {
    return this.emulator.subscriptionKeys[product];
  }

  async raw(method: string, path: string, init: RequestInit = {}): Promise<HttpResult> {
    const result = await http(`${this.emulator.url}${path}`, { method, ...init });
    this.recorder?.({
      method,
      path,
      status: result.status,
      text: result.text,
      contentType: result.headers.get('content-type'),
    });
    return result;
  }

  async token(product: Product): Promise<string> {
    const cached = this.tokens.get(product);
    if (cached) return cached;
    const result = await this.raw('POST', `/${product}/token/`, {
      headers: {
        'Ocp-Apim-Subscription-Key': this.key(product),
        Authorization: `Basic ${Buffer.from(`${this.user.apiUser}:${this.user.apiKey}`).toString('base64')}`,
      },
    });
    if (result.status !== 200) throw new Error(`token: HTTP ${result.status} ${result.text}`);
    const token = (result.json as { access_token: string }).access_token;
    this.tokens.set(product, token);
    return token;
  }

  forgetTokens(): void {
    this.tokens.clear();
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
    const product = path.split('/')[1] as Product;
    const headers: Record<string, string> = {};
    if (options.subscriptionKey !== null) {
      headers['Ocp-Apim-Subscription-Key'] = options.subscriptionKey ?? this.key(product);
    }
    if (options.bearer !== null) {
      headers.Authorization = `Bearer ${options.bearer ?? (await this.token(product))}`;
    }
    if (options.targetEnvironment !== null) {
      headers['X-Target-Environment'] = options.targetEnvironment ?? this.user.targetEnvironment;
    }
    if (options.referenceId !== undefined) headers['X-Reference-Id'] = options.referenceId;
    if (options.callbackUrl !== undefined) headers['X-Callback-Url'] = options.callbackUrl;
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    return this.raw(method, path, { headers: { ...headers, ...options.headers }, body });
  }

  /** A resource-creating POST with a fresh reference id unless one is given. */
  async create(
    path: string,
    body: unknown,
    options: CallOptions = {},
  ): Promise<HttpResult & { referenceId: string }> {
    const referenceId = options.referenceId ?? uuid();
    const result = await this.call('POST', path, { ...options, body, referenceId });
    return { ...result, referenceId };
  }

  async get(path: string, options: CallOptions = {}): Promise<HttpResult> {
    return this.call('GET', path, options);
  }
}

export function rtpBody(msisdn: string, amount = '100', currency = 'EUR'): Record<string, unknown> {
  return {
    amount,
    currency,
    externalId: 'order-1',
    payer: { partyIdType: 'MSISDN', partyId: msisdn },
    payerMessage: 'Pay for order 1',
    payeeNote: 'Thanks',
  };
}

export function transferBody(
  msisdn: string,
  amount = '100',
  currency = 'EUR',
): Record<string, unknown> {
  return {
    amount,
    currency,
    externalId: 'payout-1',
    payee: { partyIdType: 'MSISDN', partyId: msisdn },
    payerMessage: 'Payout',
    payeeNote: 'Enjoy',
  };
}
