import { API_KEY_SCOPES } from './api-key.scopes';
import { applyScopeChange } from './api-key.store';

describe('applyScopeChange', () => {
  const current = ['collection:write', 'collection:read'] as const;

  it('replaces the list, in the canonical order', () => {
    expect(applyScopeChange(current, { set: ['notifications:write', 'metrics:read'] })).toEqual([
      'metrics:read',
      'notifications:write',
    ]);
  });

  it('adds scopes without duplicating those already held', () => {
    expect(applyScopeChange(current, { add: ['notifications:read', 'collection:read'] })).toEqual([
      'collection:read',
      'collection:write',
      'notifications:read',
    ]);
    expect(applyScopeChange(current, { add: [...API_KEY_SCOPES] })).toEqual([...API_KEY_SCOPES]);
  });

  it('removes scopes, ignoring those not held', () => {
    expect(applyScopeChange(current, { remove: ['collection:write', 'remittance:read'] })).toEqual([
      'collection:read',
    ]);
    expect(applyScopeChange(current, { remove: [...API_KEY_SCOPES] })).toEqual([]);
  });
});
