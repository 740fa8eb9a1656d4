import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The one TypeORM options object, shared by the application and the migration CLI so the two can
 * never drift. Entities and migrations are found by file name; `synchronize` is never on: the
 * schema changes only through migrations in `migrations/`.
 */
export function typeOrmOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(ROOT, 'src', '**', '*.entity.{ts,js}')],
    migrations: [path.join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      // A dead database must fail requests quickly (503), not hang them.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'momo-gateway',
    },
  };
}
