import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../config/app-config';
import { isProduct, PRODUCTS, type Product } from '../../common/product';
import { isCountryCode, type CountryCode } from '../country-rules/countries';
import { MomoAccount, MomoCredentialSet, type AccountCountries } from './momo-account';

/**
 * The MTN accounts file (JSON or YAML; JSON is YAML, so one parser reads both):
 *
 *   accounts:
 *     - id: uganda                       # ours, safe to log
 *       countries: [UG]                  # or ["*"]: every country without an account of its own
 *       baseUrl: https://proxy.momoapi.mtn.com   # optional: MTN_MOMO_BASE_URL
 *       targetEnvironment: mtnuganda     # optional: see MomoAccountsService
 *       products:
 *         collection: { subscriptionKey: "...", apiUser: "<uuid>", apiKey: "..." }
 *
 * Errors name the offending path and never echo a value, since values may be secrets.
 */

export interface AccountsFileDefaults {
  baseUrl?: string;
  environment: 'sandbox' | 'production';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TARGET_ENVIRONMENT = /^[a-z0-9]+$/;
const ACCOUNT_KEYS = new Set(['id', 'countries', 'baseUrl', 'targetEnvironment', 'products']);
const CREDENTIAL_KEYS = new Set(['subscriptionKey', 'apiUser', 'apiKey']);

class Invalid extends Error {}

function fail(path: string, problem: string): never {
  throw new Invalid(`${path} ${problem}`);
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function noUnknownKeys(
  obj: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
): void {
  const unknown = Object.keys(obj).find((k) => !allowed.has(k));
  if (unknown !== undefined)
    fail(
      `${path}.${unknown}`,
      `is not a known setting (expected one of ${[...allowed].join(', ')})`,
    );
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value.trim();
}

function httpUrl(value: unknown, path: string): string {
  const text = nonEmptyString(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(path, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(path, 'must be an http(s) URL');
  return text.replace(/\/+$/, '');
}

function countries(value: unknown, path: string): AccountCountries {
  if (!Array.isArray(value) || value.length === 0)
    fail(path, 'must be a non-empty list of country codes or ["*"]');
  if (value.includes('*')) {
    if (value.length !== 1) fail(path, 'must be ["*"] alone or a list of country codes');
    return 'all';
  }
  const codes: CountryCode[] = [];
  value.forEach((c, i) => {
    if (!isCountryCode(c)) fail(`${path}[${i}]`, 'is not a supported country code');
    if (codes.includes(c)) fail(`${path}[${i}]`, 'is listed twice');
    codes.push(c);
  });
  return codes;
}

function credentials(value: unknown, path: string): MomoCredentialSet {
  const obj = asObject(value, path);
  noUnknownKeys(obj, CREDENTIAL_KEYS, path);
  const apiUser = nonEmptyString(obj.apiUser, `${path}.apiUser`);
  if (!UUID.test(apiUser)) fail(`${path}.apiUser`, 'must be a UUID');
  return new MomoCredentialSet({
    subscriptionKey: nonEmptyString(obj.subscriptionKey, `${path}.subscriptionKey`),
    apiUser,
    apiKey: nonEmptyString(obj.apiKey, `${path}.apiKey`),
  });
}

function account(value: unknown, path: string, defaults: AccountsFileDefaults): MomoAccount {
  const obj = asObject(value, path);
  noUnknownKeys(obj, ACCOUNT_KEYS, path);
  const id = nonEmptyString(obj.id, `${path}.id`);
  if (!ACCOUNT_ID.test(id))
    fail(`${path}.id`, 'must be letters, digits, ".", "_" or "-" (at most 64)');
  const baseUrl =
    obj.baseUrl !== undefined
      ? httpUrl(obj.baseUrl, `${path}.baseUrl`)
      : (defaults.baseUrl ??
        fail(`${path}.baseUrl`, 'is required when MTN_MOMO_BASE_URL is not set'));
  let targetEnvironment: string | undefined;
  if (obj.targetEnvironment !== undefined) {
    targetEnvironment = nonEmptyString(obj.targetEnvironment, `${path}.targetEnvironment`);
    if (!TARGET_ENVIRONMENT.test(targetEnvironment)) {
      fail(`${path}.targetEnvironment`, 'must be lower-case letters and digits, such as mtnuganda');
    }
    if (defaults.environment === 'production' && targetEnvironment === 'sandbox') {
      fail(`${path}.targetEnvironment`, 'cannot be sandbox when MTN_MOMO_ENVIRONMENT=production');
    }
  }
  const products = asObject(obj.products, `${path}.products`);
  const creds: Partial<Record<Product, MomoCredentialSet>> = {};
  for (const [name, value] of Object.entries(products)) {
    if (!isProduct(name))
      fail(`${path}.products.${name}`, `is not a product (expected ${PRODUCTS.join(', ')})`);
    creds[name] = credentials(value, `${path}.products.${name}`);
  }
  if (Object.keys(creds).length === 0)
    fail(`${path}.products`, 'must configure at least one product');
  return new MomoAccount(
    id,
    countries(obj.countries, `${path}.countries`),
    baseUrl,
    targetEnvironment,
    creds,
  );
}

/** No two accounts may claim the same country (or both claim "*") for the same product. */
function noOverlap(accounts: MomoAccount[]): void {
  const owner = new Map<string, string>();
  for (const a of accounts) {
    const scopes = a.countries === 'all' ? ['*'] : a.countries;
    for (const product of a.products) {
      for (const country of scopes) {
        const key = `${country}/${product}`;
        const other = owner.get(key);
        if (other !== undefined) {
          fail(
            `accounts "${other}" and "${a.id}"`,
            `both serve ${product} in ${country === '*' ? 'every country ("*")' : country}`,
          );
        }
        owner.set(key, a.id);
      }
    }
  }
}

/** Parses and validates the file's text; throws one `ConfigError` line naming the first problem. */
export function parseAccountsFile(
  text: string,
  source: string,
  defaults: AccountsFileDefaults,
): MomoAccount[] {
  try {
    let doc: unknown;
    try {
      doc = parseYaml(text) as unknown;
    } catch (err) {
      const where = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
      fail('the file', `is not valid JSON or YAML${where !== undefined ? ` (line ${where})` : ''}`);
    }
    const root = asObject(doc, 'the file');
    noUnknownKeys(root, new Set(['accounts']), 'the file');
    if (!Array.isArray(root.accounts) || root.accounts.length === 0)
      fail('accounts', 'must be a non-empty list');
    const accounts = root.accounts.map((a, i) => account(a, `accounts[${i}]`, defaults));
    const ids = new Set<string>();
    accounts.forEach((a, i) => {
      if (ids.has(a.id)) fail(`accounts[${i}].id`, `repeats the id "${a.id}"`);
      ids.add(a.id);
    });
    noOverlap(accounts);
    return accounts;
  } catch (err) {
    if (err instanceof Invalid)
      throw new ConfigError(`Invalid MTN accounts file ${source}: ${err.message}`);
    throw err;
  }
}
