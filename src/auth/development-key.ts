import { API_KEY_SCOPES } from './api-key.scopes';
import type { ApiKeyStore } from './api-key.store';

export const DEVELOPMENT_KEY_NAME = 'development';

/**
 * For `npm start` on the embedded database only: the first start creates a key with every scope
 * and returns banner lines that show it (once); later starts say that keys exist and how to make
 * another. Never called with a configured DATABASE_URL, so never in production.
 */
export async function ensureDevelopmentKey(store: ApiKeyStore): Promise<string[]> {
  const existing = await store.count();
  if (existing > 0) {
    return [
      `API keys: ${existing} in the database (the development key was shown at the first start); list them with \`npm run cli -- api-key:list\`,`,
      '  create another with `npm run cli -- api-key:create --name <name> --scopes all`',
    ];
  }
  const created = await store.create({ name: DEVELOPMENT_KEY_NAME, scopes: API_KEY_SCOPES });
  return [
    `development API key (every scope; shown only now, store it): ${created.key}`,
    `  send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"; more with \`npm run cli -- api-key:create\``,
  ];
}
