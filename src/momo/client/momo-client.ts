import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MomoAccountsService, type ResolvedAccount } from '../accounts/momo-accounts.service';
import type { MomoAccount } from '../accounts/momo-account';
import { BreakerService } from '../breaker/breaker.service';
import type {
  AccountHolderRequest,
  Balance,
  BalanceRequest,
  BasicUserInfo,
  CreateRequest,
  CreateResult,
  MomoCallContext,
  MomoStatus,
  StatusRequest,
} from '../momo.types';
import { OutboundRateLimiter } from '../rate-limit/outbound-rate-limiter.service';
import { RetryPolicy } from '../retry/retry.policy';
import { MOMO_CLOCK, type Clock } from '../time/clock';
import { TokenService, type TokenOwner } from '../token/token.service';
import { MomoCallError, withEarlierAttempts } from './momo-call.error';
import { axiosRequest, productHeaders, tokenHeaders, type Exchange } from './mtn-request';
import {
  accountHolderPath,
  apiUserPath,
  balancePath,
  operationPaths,
  statusPath,
  tokenPath,
} from './momo-operations';
import {
  mapMtnAnswer,
  mapTransportFailure,
  parseBody,
  unexpectedAnswer,
  type MtnEndpoint,
  type MtnHttpAnswer,
} from './mtn-error.mapper';
import {
  toActiveFlag,
  toBalance,
  toBasicUserInfo,
  toMomoStatus,
  toTokenGrant,
  type TokenGrant,
} from './mtn-status.mapper';

/** What a token call needs: no target environment. */
type AccountCredentials = Pick<ResolvedAccount, 'account' | 'credentials'>;

interface CallLog {
  product?: Product;
  accountId: string;
  attempt: number;
}

/** What the sandbox says about one API user (provisioning API, sandbox only). */
export interface ApiUserInfo {
  providerCallbackHost?: string;
  targetEnvironment?: string;
}

/** One HTTP exchange with MTN, as observers (metrics, tracing) see it: never a header or a body. */
export interface MtnExchangeInfo {
  product?: Product;
  operation: string;
  endpoint: MtnEndpoint;
  method: 'GET' | 'POST';
  referenceId?: string;
  accountId: string;
  attempt: number;
}

/**
 * Runs around every HTTP exchange: must call `send` once and return (or rethrow) its outcome. It
 * sees the answer (2xx) or the mapped `MomoCallError`, and runs in the exchange's async context,
 * so a span it makes active is the parent of the HTTP request.
 */
export type MtnExchangeObserver = <T>(info: MtnExchangeInfo, send: () => Promise<T>) => Promise<T>;

/**
 * The only code that calls MTN. Each call is routed to the MTN account of its country and product
 * and goes: retry loop → (per attempt) breaker check → outbound budget → breaker-wrapped attempt
 * → token → HTTP. Every HTTP exchange writes one log line (product, operation, reference id,
 * status, latency, attempt, account id; never a header or a body).
 */
@Injectable()
export class MomoClient implements OnModuleDestroy {
  private readonly logger = new Logger(MomoClient.name);
  // Keep-alive: a TLS handshake per call to MTN would cost more than the call itself.
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly observers: MtnExchangeObserver[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: HttpService,
    private readonly accounts: MomoAccountsService,
    private readonly tokens: TokenService,
    private readonly breaker: BreakerService,
    private readonly retry: RetryPolicy,
    private readonly limiter: OutboundRateLimiter,
    @Inject(MOMO_CLOCK) private readonly clock: Clock,
  ) {}

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** The hook for metrics and tracing; returns the function that removes it. */
  observeExchanges(observer: MtnExchangeObserver): () => void {
    this.observers.push(observer);
    return () => {
      const at = this.observers.indexOf(observer);
      if (at >= 0) this.observers.splice(at, 1);
    };
  }

  /**
   * Readiness: this account can get a token for this product. A cached valid token counts, so
   * this costs nothing while one is held; outside the breaker and the budget, like token calls.
   */
  async checkToken(account: MomoAccount, product: Product): Promise<void> {
    const credentials = account.credentialsFor(product);
    if (!credentials) throw new Error(`Account ${account.id} has no ${product} credentials`);
    const resolved = { account, credentials };
    const log: CallLog = { product, accountId: account.id, attempt: 1 };
    await this.tokens.get(this.tokenOwner(product, resolved), () =>
      this.fetchToken(resolved, product, log),
    );
  }

  /**
   * Asks MTN to create the transaction (202). Retries reuse `referenceId`, so MTN can hold at most
   * one transaction for it: a 409 on a retry means an earlier attempt landed, and is answered by
   * a status lookup instead of an error. A 409 on the first attempt is RESOURCE_ALREADY_EXIST.
   */
  async create(request: CreateRequest): Promise<CreateResult> {
    const paths = operationPaths(request);
    try {
      const { attempts } = await this.call(request, {
        operation: request.operation,
        method: 'POST',
        path: paths.create,
        referenceId: request.referenceId,
        body: request.body,
        callbackUrl: request.callbackUrl,
      });
      return { attempts, alreadyExisted: false };
    } catch (error) {
      if (
        !(error instanceof MomoCallError) ||
        error.code !== 'RESOURCE_ALREADY_EXIST' ||
        error.attempt < 2
      )
        throw error;
      const status = await this.getStatus(request).catch((lookup: unknown) => {
        // The 409 already proves MTN holds it; the status can come later from polling.
        this.logger.warn(
          {
            product: request.product,
            operation: request.operation,
            referenceId: request.referenceId,
            code: lookup instanceof MomoCallError ? lookup.code : 'UNKNOWN',
          },
          'Status lookup after a duplicate create failed',
        );
        return undefined;
      });
      return { attempts: error.attempt, alreadyExisted: true, ...(status ? { status } : {}) };
    }
  }

  /** MTN's status of the transaction. 404 (MTN_RESOURCE_NOT_FOUND) means unknown, not failed. */
  async getStatus(request: StatusRequest): Promise<MomoStatus> {
    const { answer } = await this.call(request, {
      operation: `${request.operation}.status`,
      method: 'GET',
      path: statusPath(request, request.referenceId),
      referenceId: request.referenceId,
    });
    return toMomoStatus(answer.body) ?? this.unexpected(answer, 'the status request');
  }

  async getBalance(request: BalanceRequest): Promise<Balance> {
    const { answer } = await this.call(request, {
      operation: 'balance',
      method: 'GET',
      path: balancePath(request.product, request.currency),
    });
    return toBalance(answer.body) ?? this.unexpected(answer, 'the balance request');
  }

  /** False also when MTN does not know the number at all. */
  async isAccountHolderActive(request: AccountHolderRequest): Promise<boolean> {
    try {
      const { answer } = await this.call(request, {
        operation: 'accountHolderActive',
        method: 'GET',
        path: accountHolderPath(request.product, request.msisdn, 'active'),
      });
      return toActiveFlag(answer.body) ?? this.unexpected(answer, 'the account-holder request');
    } catch (error) {
      if (
        error instanceof MomoCallError &&
        (error.code === 'MTN_RESOURCE_NOT_FOUND' ||
          error.code === 'PAYER_NOT_FOUND' ||
          error.code === 'PAYEE_NOT_FOUND')
      ) {
        return false;
      }
      throw error;
    }
  }

  async getBasicUserInfo(request: AccountHolderRequest): Promise<BasicUserInfo> {
    const { answer } = await this.call(request, {
      operation: 'basicUserInfo',
      method: 'GET',
      path: accountHolderPath(request.product, request.msisdn, 'basicuserinfo'),
    });
    return toBasicUserInfo(answer.body) ?? this.unexpected(answer, 'the user-info request');
  }

  /**
   * Sandbox provisioning: the API user's registered callback host. One attempt, outside the
   * breaker and the budget: it is a start-up check, not traffic.
   */
  async getApiUser(account: MomoAccount, product: Product): Promise<ApiUserInfo> {
    const credentials = account.credentialsFor(product);
    if (!credentials) throw new Error(`Account ${account.id} has no ${product} credentials`);
    const answer = await this.exchange(
      account.baseUrl,
      { operation: 'apiUser', method: 'GET', path: apiUserPath(credentials.apiUser) },
      { 'Ocp-Apim-Subscription-Key': credentials.subscriptionKey },
      'provisioning',
      { product, accountId: account.id, attempt: 1 },
    );
    const body = answer.body as Record<string, unknown> | undefined;
    const host = body?.providerCallbackHost;
    const environment = body?.targetEnvironment;
    return {
      ...(typeof host === 'string' ? { providerCallbackHost: host } : {}),
      ...(typeof environment === 'string' ? { targetEnvironment: environment } : {}),
    };
  }

  private async call(
    ctx: MomoCallContext,
    exchange: Exchange,
  ): Promise<{ answer: MtnHttpAnswer; attempts: number }> {
    const resolved = this.accounts.resolve(ctx.country, ctx.product);
    const accountId = resolved.account.id;
    let attempts = 0;
    const failures: unknown[] = [];
    try {
      const answer = await this.retry.execute(async (attempt) => {
        attempts = attempt;
        try {
          // Checked before taking budget: an open circuit must not spend the minute's calls.
          this.breaker.assertCallable(ctx.product, accountId);
          await this.limiter.acquire({ accountId, product: ctx.product, priority: ctx.priority });
          return await this.breaker.execute(ctx.product, accountId, () =>
            this.attempt(ctx.product, resolved, exchange, attempt),
          );
        } catch (error) {
          failures.push(error);
          throw error;
        }
      });
      return { answer, attempts };
    } catch (error) {
      // The last failure is `error` itself; the caller may need to know about the ones before.
      throw withEarlierAttempts(error, failures.slice(0, -1));
    }
  }

  /** One attempt: with a token, and once more with a fresh token if MTN refused the cached one. */
  private async attempt(
    product: Product,
    resolved: ResolvedAccount,
    exchange: Exchange,
    attempt: number,
  ): Promise<MtnHttpAnswer> {
    const owner = this.tokenOwner(product, resolved);
    const log: CallLog = { product, accountId: resolved.account.id, attempt };
    const fetch = (): Promise<TokenGrant> => this.fetchToken(resolved, product, log);
    const token = await this.tokens.get(owner, fetch);
    try {
      return await this.exchange(
        resolved.account.baseUrl,
        exchange,
        productHeaders(resolved.credentials, resolved.targetEnvironment, token, exchange),
        'product',
        log,
      );
    } catch (error) {
      if (!(error instanceof MomoCallError) || !error.tokenRejected) throw error;
      this.tokens.invalidate(owner, token);
      const fresh = await this.tokens.get(owner, fetch);
      return this.exchange(
        resolved.account.baseUrl,
        exchange,
        productHeaders(resolved.credentials, resolved.targetEnvironment, fresh, exchange),
        'product',
        log,
      );
    }
  }

  private tokenOwner(product: Product, resolved: AccountCredentials): TokenOwner {
    return {
      product,
      baseUrl: resolved.account.baseUrl,
      apiUser: resolved.credentials.apiUser,
      subscriptionKey: resolved.credentials.subscriptionKey,
      accountId: resolved.account.id,
    };
  }

  private async fetchToken(
    resolved: AccountCredentials,
    product: Product,
    log: CallLog,
  ): Promise<TokenGrant> {
    const answer = await this.exchange(
      resolved.account.baseUrl,
      { operation: 'token', method: 'POST', path: tokenPath(product) },
      tokenHeaders(resolved.credentials),
      'token',
      log,
    );
    return toTokenGrant(answer.body) ?? this.unexpected(answer, 'the token request');
  }

  /** One HTTP exchange, through the observers (metrics, tracing) when there are any. */
  private exchange(
    baseUrl: string,
    exchange: Exchange,
    headers: Record<string, string>,
    endpoint: MtnEndpoint,
    log: CallLog,
  ): Promise<MtnHttpAnswer> {
    const send = (): Promise<MtnHttpAnswer> =>
      this.sendExchange(baseUrl, exchange, headers, endpoint, log);
    if (this.observers.length === 0) return send();
    const info: MtnExchangeInfo = {
      product: log.product,
      operation: exchange.operation,
      endpoint,
      method: exchange.method,
      referenceId: exchange.referenceId,
      accountId: log.accountId,
      attempt: log.attempt,
    };
    return this.observers.reduceRight<() => Promise<MtnHttpAnswer>>(
      (next, observe) => () => observe(info, next),
      send,
    )();
  }

  /** One HTTP request and its one log line. Resolves with a 2xx answer; throws a mapped error otherwise. */
  private async sendExchange(
    baseUrl: string,
    exchange: Exchange,
    headers: Record<string, string>,
    endpoint: MtnEndpoint,
    log: CallLog,
  ): Promise<MtnHttpAnswer> {
    const request = axiosRequest(baseUrl, exchange, headers, {
      timeoutMs: this.config.momo.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
    });
    const started = performance.now();
    const line = {
      product: log.product,
      operation: exchange.operation,
      referenceId: exchange.referenceId,
      accountId: log.accountId,
      attempt: log.attempt,
    };
    let answer: MtnHttpAnswer;
    try {
      // The axios instance itself, not `HttpService.request()`: its Observable cancels the request
      // when it completes, and axios then builds a CanceledError (stack trace and all) per call.
      const response = await this.http.axiosRef.request<string>(request);
      const retryAfter: unknown = response.headers['retry-after'];
      answer = {
        status: response.status,
        body: parseBody(typeof response.data === 'string' ? response.data : ''),
        ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
      };
    } catch (error) {
      const mapped = mapTransportFailure(error);
      this.logger.warn(
        {
          ...line,
          latencyMs: Math.round(performance.now() - started),
          code: mapped.code,
          transportCode: mapped.transportCode,
        },
        'MTN call failed',
      );
      throw mapped;
    }
    const latencyMs = Math.round(performance.now() - started);
    if (answer.status >= 200 && answer.status < 300) {
      this.logger.log({ ...line, httpStatus: answer.status, latencyMs }, 'MTN call');
      return answer;
    }
    const mapped = mapMtnAnswer(answer, endpoint, this.clock.now());
    const fields = {
      ...line,
      httpStatus: answer.status,
      latencyMs,
      code: mapped.code,
      mtnCode: mapped.mtnCode,
    };
    if (mapped.transient) this.logger.warn(fields, 'MTN call failed');
    else this.logger.log(fields, 'MTN call refused');
    throw mapped;
  }

  private unexpected(answer: MtnHttpAnswer, what: string): never {
    throw unexpectedAnswer(answer.status, what);
  }
}
