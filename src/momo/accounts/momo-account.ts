import { inspect } from 'node:util';
import type { Product } from '../../common/product';
import type { CountryCode } from '../country-rules/countries';

const REDACTED = '[redacted]';

/**
 * One product's credentials in one MTN market. The values live in private fields: they are not
 * enumerable, so `JSON.stringify`, pino and `util.inspect` see only the redacted form, and a
 * credential set passed to a logger or put in an error by mistake leaks nothing.
 */
export class MomoCredentialSet {
  readonly #subscriptionKey: string;
  readonly #apiUser: string;
  readonly #apiKey: string;

  constructor(values: { subscriptionKey: string; apiUser: string; apiKey: string }) {
    this.#subscriptionKey = values.subscriptionKey;
    this.#apiUser = values.apiUser;
    this.#apiKey = values.apiKey;
  }

  get subscriptionKey(): string {
    return this.#subscriptionKey;
  }

  get apiUser(): string {
    return this.#apiUser;
  }

  get apiKey(): string {
    return this.#apiKey;
  }

  /** The token call's `Authorization` header value. */
  basicAuthorization(): string {
    return `Basic ${Buffer.from(`${this.#apiUser}:${this.#apiKey}`).toString('base64')}`;
  }

  toJSON(): Record<string, string> {
    return { subscriptionKey: REDACTED, apiUser: REDACTED, apiKey: REDACTED };
  }

  [inspect.custom](): string {
    return 'MomoCredentialSet [redacted]';
  }
}

/** `all`: the account serves every country that has no account of its own. */
export type AccountCountries = readonly CountryCode[] | 'all';

/**
 * An MTN market as MTN sees us: base URL, target environment and per-product credentials. The id
 * is ours, safe to log, and is what every log line and metric names.
 */
export class MomoAccount {
  readonly #credentials: ReadonlyMap<Product, MomoCredentialSet>;

  constructor(
    readonly id: string,
    readonly countries: AccountCountries,
    readonly baseUrl: string,
    /** Unset: the configured default, or per country (see `MomoAccountsService`). */
    readonly targetEnvironment: string | undefined,
    credentials: Partial<Record<Product, MomoCredentialSet>>,
  ) {
    this.#credentials = new Map(
      Object.entries(credentials).filter(
        (e): e is [Product, MomoCredentialSet] => e[1] !== undefined,
      ),
    );
  }

  get products(): Product[] {
    return [...this.#credentials.keys()];
  }

  credentialsFor(product: Product): MomoCredentialSet | undefined {
    return this.#credentials.get(product);
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      countries: this.countries,
      baseUrl: this.baseUrl,
      targetEnvironment: this.targetEnvironment,
      products: this.products,
    };
  }

  [inspect.custom](): string {
    return `MomoAccount ${JSON.stringify(this.toJSON())}`;
  }
}
