import { Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import { loadConfig } from '../../config/app-config';
import { CountryRulesService } from '../country-rules/country-rules.service';
import { MomoAccountsService } from './momo-accounts.service';

jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

const USER = '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10';
const ENV = {
  MTN_MOMO_BASE_URL: 'https://sandbox.momodeveloper.mtn.com',
  MTN_MOMO_SUBSCRIPTION_KEY: 'env-key',
  MTN_MOMO_API_USER: USER,
  MTN_MOMO_API_KEY: 'env-api-key',
};

const FILE = `
accounts:
  - id: uganda
    countries: [UG]
    targetEnvironment: mtnuganda
    products:
      collection: { subscriptionKey: ug-key, apiUser: ${USER}, apiKey: ug-api }
  - id: ghana
    countries: [GH]
    products:
      collection: { subscriptionKey: gh-key, apiUser: ${USER}, apiKey: gh-api }
  - id: others
    countries: ["*"]
    products:
      disbursement: { subscriptionKey: all-key, apiUser: ${USER}, apiKey: all-api }
`;

function service(env: Record<string, string>): MomoAccountsService {
  const config = loadConfig(env);
  return new MomoAccountsService(config, new CountryRulesService(config));
}

function withFile(text: string, env: Record<string, string> = {}): MomoAccountsService {
  jest.mocked(fs.readFileSync).mockReturnValueOnce(text);
  return service({
    MTN_MOMO_BASE_URL: 'https://proxy.momoapi.mtn.com',
    MTN_MOMO_ACCOUNTS_FILE: 'accounts.yaml',
    ...env,
  });
}

describe('MomoAccountsService', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('has no account when MTN is not configured', () => {
    expect(service({}).list()).toEqual([]);
  });

  it('refuses a call when no account serves the country and product', () => {
    expect(() => service({}).resolve('UG', 'collection')).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_COUNTRY',
        message: 'No MTN account is configured for collection in UG',
      }),
    );
  });

  it('makes the environment variables one default account for every country', () => {
    const accounts = service(ENV);
    const resolved = accounts.resolve('GH', 'remittance');
    expect([
      resolved.account.id,
      resolved.credentials.subscriptionKey,
      resolved.targetEnvironment,
    ]).toEqual(['default', 'env-key', 'sandbox']);
  });

  it('uses the configured target environment for the default account', () => {
    const accounts = service({
      ...ENV,
      MTN_MOMO_ENVIRONMENT: 'production',
      MTN_MOMO_TARGET_ENVIRONMENT: 'mtnghana',
    });
    expect(accounts.resolve('UG', 'collection').targetEnvironment).toBe('mtnghana');
  });

  it("uses the country's market in production without a configured target environment", () => {
    const accounts = service({ ...ENV, MTN_MOMO_ENVIRONMENT: 'production' });
    expect(accounts.resolve('UG', 'collection').targetEnvironment).toBe('mtnuganda');
  });

  it('routes a country to its own account', () => {
    const accounts = withFile(FILE, { MTN_MOMO_ENVIRONMENT: 'production' });
    expect([
      accounts.resolve('UG', 'collection').account.id,
      accounts.resolve('GH', 'collection').account.id,
    ]).toEqual(['uganda', 'ghana']);
  });

  it("routes a product the country's own account lacks to the account for every country", () => {
    const accounts = withFile(FILE, { MTN_MOMO_ENVIRONMENT: 'production' });
    expect(accounts.resolve('UG', 'disbursement').account.id).toBe('others');
  });

  it("prefers the account's own target environment, then the country's", () => {
    const accounts = withFile(FILE, { MTN_MOMO_ENVIRONMENT: 'production' });
    expect([
      accounts.resolve('UG', 'collection').targetEnvironment,
      accounts.resolve('GH', 'collection').targetEnvironment,
    ]).toEqual(['mtnuganda', 'mtnghana']);
  });

  it('refuses a country and product no file account serves', () => {
    const accounts = withFile(FILE, { MTN_MOMO_ENVIRONMENT: 'production' });
    expect(() => accounts.resolve('RW', 'collection')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_COUNTRY' }),
    );
  });

  it('ignores the credential variables when a file is given, and says so', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const accounts = withFile(FILE, ENV);
    expect(accounts.list().map((a) => a.id)).toEqual(['uganda', 'ghana', 'others']);
    expect(warn).toHaveBeenCalledWith(
      'MTN_MOMO_ACCOUNTS_FILE is set: the MTN_MOMO_* credential variables are ignored',
    );
  });

  it('stops start-up with one line when the file is missing', () => {
    jest.mocked(fs.readFileSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    });
    expect(() => service({ MTN_MOMO_ACCOUNTS_FILE: 'missing.yaml' })).toThrow(
      'Invalid configuration: MTN_MOMO_ACCOUNTS_FILE missing.yaml does not exist',
    );
  });

  it('stops start-up with one line when the file is invalid', () => {
    expect(() => withFile('accounts: []')).toThrow(
      'Invalid MTN accounts file accounts.yaml: accounts must be a non-empty list',
    );
  });
});
