import { API_KEY_SCOPES, isApiKeyScope, parseScopes, productScope } from './api-key.scopes';

describe('API key scopes', () => {
  it('has read and write per product, reconciliation and notifications, and metrics:read', () => {
    expect(API_KEY_SCOPES).toEqual([
      'collection:read',
      'collection:write',
      'disbursement:read',
      'disbursement:write',
      'remittance:read',
      'remittance:write',
      'reconciliation:read',
      'reconciliation:write',
      'metrics:read',
      'notifications:read',
      'notifications:write',
    ]);
    expect(productScope('disbursement', 'write')).toBe('disbursement:write');
    expect(isApiKeyScope('admin')).toBe(false);
  });

  it('parses a comma-separated list into canonical order without duplicates', () => {
    expect(parseScopes(' collection:write,collection:read ,collection:write')).toEqual([
      'collection:read',
      'collection:write',
    ]);
  });

  it('expands "all" to every scope', () => {
    expect(parseScopes('all')).toEqual([...API_KEY_SCOPES]);
  });

  it('refuses an unknown scope by name rather than dropping it', () => {
    expect(() => parseScopes('collection:read,colection:write')).toThrow(
      /Unknown scope\(s\): colection:write/,
    );
  });

  it('refuses an empty list', () => {
    expect(() => parseScopes(' , ')).toThrow(/No scopes given/);
  });
});
