import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../database/typeorm-options';
import { ApiKeyStore } from './api-key.store';

/**
 * Runs `work` with an `ApiKeyStore` on its own small connection to `url`, outside the Nest
 * application: for the CLI and the embedded-default launcher.
 */
export async function withApiKeyStore<T>(
  url: string,
  work: (store: ApiKeyStore) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource(typeOrmOptions(url, 1));
  await dataSource.initialize();
  try {
    return await work(new ApiKeyStore(dataSource));
  } catch (err) {
    if (/relation "api_keys" does not exist/.test(err instanceof Error ? err.message : '')) {
      throw new Error(
        'The api_keys table does not exist in this database: run `npm run migration:run` first',
      );
    }
    throw err;
  } finally {
    await dataSource.destroy();
  }
}
