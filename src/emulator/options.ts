import { parseAmount } from './money';
import type { Product } from './products';

export interface SeedApiUser {
  apiUser: string;
  apiKey: string;
  providerCallbackHost: string;
  /** `sandbox` (EUR) unless given; see target-environments.ts for the country values. */
  targetEnvironment?: string;
}

export type CallbackMethod = 'POST' | 'PUT';
export type ReasonFormat = 'object' | 'string';

export interface EmulatorOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** One key per product; any product left out gets a generated key. */
  subscriptionKeys?: Partial<Record<Product, string>>;
  /** API users that exist from the start (and after every reset). */
  apiUsers?: SeedApiUser[];
  /** Lifetime of access tokens; MTN's is 3600. */
  tokenExpiresInSeconds?: number;
  /** Time an ordinary transaction spends PENDING before its outcome; 0 = decided at creation. */
  processingDelayMs?: number;
  /** How long 46733123450-style "ongoing" numbers stay PENDING before failing; null = forever. */
  longPendingMs?: number | null;
  /** How long 46733123454 stays CREATED before it turns SUCCESSFUL. */
  createdToSuccessfulMs?: number;
  /** Delay between a transaction's final state and its callback. */
  callbackDelayMs?: number;
  /** Deliver every callback twice, as the live sandbox has been seen to do. */
  duplicateCallbacks?: boolean;
  duplicateCallbackDelayMs?: number;
  /** Share of callbacks silently dropped, 0..1 (seeded, so repeatable). */
  callbackDropRate?: number;
  callbackTimeoutMs?: number;
  /** Retries after a failed delivery (receiver down or non-2xx); MTN's sandbox sends once. */
  callbackRetries?: number;
  callbackRetryDelayMs?: number;
  callbackMethodV1?: CallbackMethod;
  callbackMethodV2?: CallbackMethod;
  /** Shape of `reason`/`errorReason` in invoice, pre-approval and payment results. */
  v2ReasonFormat?: ReasonFormat;
  /** Opening balance of every wallet, decimal string in major units. */
  walletOpeningBalance?: string;
  /** Opening balance of every API user's product account, decimal string in major units. */
  accountOpeningBalance?: string;
  /** How long after success a delivery notification may still be sent (410 after). */
  deliveryNotificationWindowMs?: number;
  /** Seed of the PRNG behind fault and drop rates. */
  seed?: number;
  requestLogSize?: number;
  callbackLogSize?: number;
  /** Oldest finished transactions are forgotten beyond this count (benchmarks). */
  maxTransactions?: number;
  /** true logs to stdout; a function receives each line; default off. */
  log?: boolean | ((line: string) => void);
}

/** The part of the options that can change while the emulator runs (PATCH /_emulator/config). */
export interface EmulatorSettings {
  tokenExpiresInSeconds: number;
  processingDelayMs: number;
  longPendingMs: number | null;
  createdToSuccessfulMs: number;
  callbackDelayMs: number;
  duplicateCallbacks: boolean;
  duplicateCallbackDelayMs: number;
  callbackDropRate: number;
  /** Drop exactly the next N callbacks: the deterministic twin of callbackDropRate. */
  callbackDropNext: number;
  callbackTimeoutMs: number;
  callbackRetries: number;
  callbackRetryDelayMs: number;
  callbackMethodV1: CallbackMethod;
  callbackMethodV2: CallbackMethod;
  v2ReasonFormat: ReasonFormat;
  walletOpeningBalance: string;
  accountOpeningBalance: string;
  deliveryNotificationWindowMs: number;
}

export function resolveSettings(options: EmulatorOptions): EmulatorSettings {
  const settings: EmulatorSettings = {
    tokenExpiresInSeconds: 3600,
    processingDelayMs: 0,
    longPendingMs: 300_000,
    createdToSuccessfulMs: 25_000,
    callbackDelayMs: 0,
    duplicateCallbacks: false,
    duplicateCallbackDelayMs: 100,
    callbackDropRate: 0,
    callbackDropNext: 0,
    callbackTimeoutMs: 2_000,
    callbackRetries: 0,
    callbackRetryDelayMs: 1_000,
    callbackMethodV1: 'POST',
    callbackMethodV2: 'PUT',
    v2ReasonFormat: 'object',
    walletOpeningBalance: '1000000000',
    accountOpeningBalance: '1000000000000',
    deliveryNotificationWindowMs: 86_400_000,
  };
  const errors = patchSettings(settings, options);
  if (errors.length > 0) throw new Error(`Invalid emulator options: ${errors.join('; ')}`);
  return settings;
}

type Check = (value: unknown) => boolean;

const nonNegative: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const rate: Check = (v) => nonNegative(v) && (v as number) <= 1;
const bool: Check = (v) => typeof v === 'boolean';
const method: Check = (v) => v === 'POST' || v === 'PUT';
const balance: Check = (v) => typeof v === 'string' && parseAmount(v) !== undefined;

const CHECKS: Record<keyof EmulatorSettings, Check> = {
  tokenExpiresInSeconds: (v) => nonNegative(v) && (v as number) > 0,
  processingDelayMs: nonNegative,
  longPendingMs: (v) => v === null || nonNegative(v),
  createdToSuccessfulMs: nonNegative,
  callbackDelayMs: nonNegative,
  duplicateCallbacks: bool,
  duplicateCallbackDelayMs: nonNegative,
  callbackDropRate: rate,
  callbackDropNext: (v) => Number.isInteger(v) && (v as number) >= 0,
  callbackTimeoutMs: (v) => nonNegative(v) && (v as number) > 0,
  callbackRetries: (v) => Number.isInteger(v) && (v as number) >= 0,
  callbackRetryDelayMs: nonNegative,
  callbackMethodV1: method,
  callbackMethodV2: method,
  v2ReasonFormat: (v) => v === 'object' || v === 'string',
  walletOpeningBalance: balance,
  accountOpeningBalance: balance,
  deliveryNotificationWindowMs: nonNegative,
};

function isSettingKey(key: string): key is keyof EmulatorSettings {
  return Object.prototype.hasOwnProperty.call(CHECKS, key);
}

/**
 * Copies the recognised, valid keys of `patch` onto `settings`; returns one message per invalid
 * value. Unknown keys are ignored so that the full options object can be passed in.
 */
export function patchSettings(settings: EmulatorSettings, patch: object): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (!isSettingKey(key) || value === undefined) continue;
    if (!CHECKS[key](value)) {
      errors.push(`${key}: invalid value ${JSON.stringify(value)}`);
      continue;
    }
    (settings as unknown as Record<string, unknown>)[key] = value;
  }
  return errors;
}
