import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { CountryRulesService } from '../../src/momo/country-rules/country-rules.service';

let dir: string;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function serviceWith(file: string, env: NodeJS.ProcessEnv = {}): CountryRulesService {
  return new CountryRulesService(loadConfig({ COUNTRY_RULES_FILE: file, ...env }));
}

function startUpError(file: string): ConfigError {
  try {
    serviceWith(file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected start-up to fail');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'country-rules-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('COUNTRY_RULES_FILE', () => {
  it('overrides limits from a JSON file', () => {
    const file = write(
      'rules.json',
      JSON.stringify({ countries: { UG: { limits: { basic: { max: '5000000' } } } } }),
    );
    const checked = serviceWith(file).checkAmount({
      country: 'UG',
      currency: 'UGX',
      amount: '4500000',
      product: 'collection',
    });
    expect(checked.amount).toBe('4500000');
  });

  it('overrides a target environment from a YAML file', () => {
    const file = write('rules.yaml', 'countries:\n  RW:\n    targetEnvironment: mtnrwanda2\n');
    expect(
      serviceWith(file, { MTN_MOMO_ENVIRONMENT: 'production' }).targetEnvironmentFor('RW'),
    ).toBe('mtnrwanda2');
  });

  it('disables a market from a .yml file', () => {
    const file = write('rules.yml', 'countries:\n  GW: { enabled: false }\n');
    expect(
      serviceWith(file)
        .supportedCountries()
        .map((r) => r.code),
    ).not.toContain('GW');
  });

  it('stops start-up with one line when the file is missing', () => {
    const missing = path.join(dir, 'missing.json');
    expect(startUpError(missing).message).toBe(
      `Cannot read country rules file ${missing} (COUNTRY_RULES_FILE): ENOENT`,
    );
  });

  it('stops start-up with one line naming the problem when the file is invalid', () => {
    const file = write('bad.yaml', 'countries:\n  GH:\n    limits:\n      basic: { max: 12.5 }\n');
    expect(startUpError(file).message).toBe(
      `Invalid country rules file ${file}: countries.GH.limits.basic.max: must be a whole number or a quoted decimal string such as "12.50"`,
    );
  });
});
