import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { ApiUserStore, type ApiUser } from './api-users';
import { CallbackDispatcher } from './callbacks';
import { ConsentStore } from './consents';
import { FaultInjector } from './faults';
import { Ledger } from './ledger';
import {
  patchSettings,
  resolveSettings,
  type EmulatorOptions,
  type EmulatorSettings,
} from './options';
import { PRODUCTS, type Product } from './products';
import { seededRandom, type Random } from './prng';
import { RequestLog } from './request-log';
import { ScriptedOutcomes } from './scripted-outcomes';
import { currencyOf } from './target-environments';
import { TokenService } from './tokens';
import { TransactionEngine } from './transaction-engine';
import { TransactionStore } from './transactions';

const DEFAULT_SEED = 20_260_101;

/** Everything the emulator knows, in memory; `reset()` brings it back to its starting point. */
export class EmulatorState {
  readonly settings: EmulatorSettings;
  readonly subscriptionKeys: Readonly<Record<Product, string>>;
  readonly users = new ApiUserStore();
  readonly tokens = new TokenService();
  readonly consents = new ConsentStore();
  readonly transactions: TransactionStore;
  readonly ledger: Ledger;
  readonly callbacks: CallbackDispatcher;
  readonly engine: TransactionEngine;
  readonly faults: FaultInjector;
  readonly outcomes = new ScriptedOutcomes();
  readonly requestLog: RequestLog;
  /** Sockets of requests held open by timeout faults, destroyed on stop and reset. */
  readonly heldSockets = new Set<Socket>();
  readonly log: (line: string) => void;
  private random: Random;

  constructor(private readonly options: EmulatorOptions) {
    this.settings = resolveSettings(options);
    // An empty key (an unset environment variable) gets a generated one too.
    this.subscriptionKeys = Object.fromEntries(
      PRODUCTS.map((p) => [p, options.subscriptionKeys?.[p] || randomBytes(16).toString('hex')]),
    ) as Record<Product, string>;
    const log = options.log;
    this.log =
      typeof log === 'function'
        ? log
        : log === true
          ? (line: string) => process.stdout.write(`${line}\n`)
          : () => undefined;
    this.random = seededRandom(options.seed ?? DEFAULT_SEED);
    const randomSource = (): Random => this.random;
    this.transactions = new TransactionStore(options.maxTransactions ?? 200_000);
    this.ledger = new Ledger(
      () => ({
        wallet: this.settings.walletOpeningBalance,
        account: this.settings.accountOpeningBalance,
      }),
      options.requestLogSize ?? 1000,
    );
    this.callbacks = new CallbackDispatcher(
      this.settings,
      randomSource,
      this.log,
      options.callbackLogSize ?? 1000,
    );
    this.engine = new TransactionEngine(
      this.settings,
      this.transactions,
      this.ledger,
      this.callbacks,
    );
    this.faults = new FaultInjector(randomSource);
    this.requestLog = new RequestLog(options.requestLogSize ?? 1000);
    this.seedUsers();
  }

  /** Creates an API user outside MTN's provisioning API (any target environment). */
  createApiUser(input: {
    apiUser: string;
    providerCallbackHost: string;
    targetEnvironment?: string;
    apiKey?: string;
  }): ApiUser | undefined {
    const environment = input.targetEnvironment ?? 'sandbox';
    if (currencyOf(environment) === undefined) {
      throw new Error(`unknown target environment ${environment}`);
    }
    const user = this.users.create(input.apiUser, input.providerCallbackHost, environment);
    if (user && input.apiKey !== undefined) user.apiKeys.add(input.apiKey);
    return user;
  }

  reset(): void {
    this.engine.stopTimers();
    this.callbacks.cancelAll();
    this.callbacks.records.clear();
    for (const socket of this.heldSockets) socket.destroy();
    this.heldSockets.clear();
    this.transactions.clear();
    this.ledger.clear();
    this.faults.clear();
    this.outcomes.clear();
    this.requestLog.clear();
    this.consents.clear();
    this.tokens.rotate();
    this.users.clear();
    Object.assign(this.settings, resolveSettings(this.options));
    this.random = seededRandom(this.options.seed ?? DEFAULT_SEED);
    this.seedUsers();
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /** PATCH /_emulator/config; returns one message per rejected value. */
  patch(patch: object): string[] {
    return patchSettings(this.settings, patch);
  }

  shutdown(): void {
    this.engine.stopTimers();
    this.callbacks.cancelAll();
    for (const socket of this.heldSockets) socket.destroy();
    this.heldSockets.clear();
  }

  private seedUsers(): void {
    for (const seed of this.options.apiUsers ?? []) {
      this.createApiUser(seed);
    }
  }
}
