import { inspect } from 'node:util';
import { ConfigError } from '../../config/app-config';
import { parseAccountsFile } from './accounts-file.parser';

const USER_UG = '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10';
const USER_GH = '0a2d9c4e-7b1f-4e2a-8c3d-5e6f7a8b9c0d';
const defaults = { baseUrl: 'https://proxy.momoapi.mtn.com', environment: 'production' as const };

const json = JSON.stringify({
  accounts: [
    {
      id: 'uganda',
      countries: ['UG'],
      targetEnvironment: 'mtnuganda',
      products: {
        collection: { subscriptionKey: 'ug-col-key', apiUser: USER_UG, apiKey: 'ug-api-key' },
        disbursement: { subscriptionKey: 'ug-dis-key', apiUser: USER_UG, apiKey: 'ug-api-key' },
      },
    },
  ],
});

const yaml = `
accounts:
  - id: ghana
    countries: [GH]
    baseUrl: https://proxy.momoapi.mtn.com.gh/
    products:
      collection:
        subscriptionKey: gh-col-key
        apiUser: ${USER_GH}
        apiKey: gh-api-key
  - id: rest
    countries: ["*"]
    products:
      collection: { subscriptionKey: rest-key, apiUser: ${USER_UG}, apiKey: rest-api-key }
`;

function parseError(text: string): string {
  try {
    parseAccountsFile(text, 'accounts.yaml', defaults);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

function withAccount(patch: Record<string, unknown>): string {
  const base = {
    id: 'uganda',
    countries: ['UG'],
    products: { collection: { subscriptionKey: 'k', apiUser: USER_UG, apiKey: 'a' } },
  };
  return JSON.stringify({ accounts: [{ ...base, ...patch }] });
}

describe('accounts file', () => {
  it('reads a JSON file', () => {
    const [account] = parseAccountsFile(json, 'accounts.json', defaults);
    expect(account?.toJSON()).toEqual({
      id: 'uganda',
      countries: ['UG'],
      baseUrl: 'https://proxy.momoapi.mtn.com',
      targetEnvironment: 'mtnuganda',
      products: ['collection', 'disbursement'],
    });
    expect(account?.credentialsFor('disbursement')?.subscriptionKey).toBe('ug-dis-key');
  });

  it('reads a YAML file, with "*" for every other country and its own base URL', () => {
    const [ghana, rest] = parseAccountsFile(yaml, 'accounts.yaml', defaults);
    expect([ghana?.baseUrl, ghana?.targetEnvironment, rest?.countries]).toEqual([
      'https://proxy.momoapi.mtn.com.gh',
      undefined,
      'all',
    ]);
  });

  it('never shows a secret when an account is serialised or inspected', () => {
    const accounts = parseAccountsFile(json, 'accounts.json', defaults);
    const credentials = accounts[0]?.credentialsFor('collection');
    const dumps = [
      JSON.stringify(accounts),
      inspect(accounts, { depth: 10 }),
      JSON.stringify(credentials),
      inspect(credentials),
    ];
    for (const dump of dumps) {
      expect(dump).not.toMatch(/ug-col-key|ug-dis-key|ug-api-key|6f1c2b7e/);
    }
  });

  it('builds the Basic credentials of the token call', () => {
    const credentials = parseAccountsFile(json, 'accounts.json', defaults)[0]?.credentialsFor(
      'collection',
    );
    expect(credentials?.basicAuthorization()).toBe(
      `Basic ${Buffer.from(`${USER_UG}:ug-api-key`).toString('base64')}`,
    );
  });

  it.each([
    ['text that is not YAML', 'accounts: [', 'is not valid JSON or YAML'],
    ['no accounts', 'accounts: []', 'accounts must be a non-empty list'],
    ['an unknown top-level key', 'account: []', 'the file.account is not a known setting'],
    ['a bad id', withAccount({ id: 'a b' }), 'accounts[0].id must be letters'],
    [
      'an unknown country',
      withAccount({ countries: ['KE'] }),
      'accounts[0].countries[0] is not a supported country code',
    ],
    [
      'a country twice',
      withAccount({ countries: ['UG', 'UG'] }),
      'accounts[0].countries[1] is listed twice',
    ],
    ['"*" with a country', withAccount({ countries: ['*', 'UG'] }), 'must be ["*"] alone'],
    [
      'a bad base URL',
      withAccount({ baseUrl: 'ftp://x' }),
      'accounts[0].baseUrl must be an http(s) URL',
    ],
    ['sandbox in production', withAccount({ targetEnvironment: 'sandbox' }), 'cannot be sandbox'],
    [
      'a bad target environment',
      withAccount({ targetEnvironment: 'MTN Uganda' }),
      'must be lower-case letters and digits',
    ],
    [
      'an unknown product',
      withAccount({ products: { payments: {} } }),
      'accounts[0].products.payments is not a product',
    ],
    ['no products', withAccount({ products: {} }), 'must configure at least one product'],
    [
      'a misspelt setting',
      withAccount({
        products: { collection: { subscription_key: 'k', apiUser: USER_UG, apiKey: 'a' } },
      }),
      'products.collection.subscription_key is not a known setting',
    ],
    [
      'a missing key',
      withAccount({ products: { collection: { apiUser: USER_UG, apiKey: 'a' } } }),
      'products.collection.subscriptionKey must be a non-empty string',
    ],
    [
      'an API user that is no UUID',
      withAccount({
        products: { collection: { subscriptionKey: 'k', apiUser: 'bob', apiKey: 'a' } },
      }),
      'products.collection.apiUser must be a UUID',
    ],
  ])('refuses %s with one line naming the place', (_name, text, message) => {
    const error = parseError(text);
    expect(error).toContain('Invalid MTN accounts file accounts.yaml: ');
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });

  it('refuses an account without a base URL when MTN_MOMO_BASE_URL is unset', () => {
    expect(() => parseAccountsFile(json, 'a.json', { environment: 'production' })).toThrow(
      'accounts[0].baseUrl is required',
    );
  });

  it('refuses a repeated id', () => {
    const account = JSON.parse(withAccount({})).accounts[0];
    const text = JSON.stringify({ accounts: [account, { ...account, countries: ['GH'] }] });
    expect(parseError(text)).toContain('accounts[1].id repeats the id "uganda"');
  });

  it('refuses two accounts serving the same product in the same country', () => {
    const account = JSON.parse(withAccount({})).accounts[0];
    const text = JSON.stringify({
      accounts: [account, { ...account, id: 'uganda-2', countries: ['GH', 'UG'] }],
    });
    expect(parseError(text)).toContain(
      'accounts "uganda" and "uganda-2" both serve collection in UG',
    );
  });

  it('never echoes a value in an error', () => {
    const text = withAccount({
      products: {
        collection: { subscriptionKey: 'TOP-SECRET', apiUser: 'not-a-uuid', apiKey: 'a' },
      },
    });
    expect(parseError(text)).not.toContain('TOP-SECRET');
  });
});
