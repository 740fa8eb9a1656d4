import { DataSource } from 'typeorm';
import { typeOrmOptions } from './typeorm-options';

/** Applies pending migrations; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(typeOrmOptions(url, 2));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** SQL that would bring the schema in line with the entities; empty when they agree. */
export async function pendingSchemaChanges(url: string): Promise<string[]> {
  const ds = new DataSource(typeOrmOptions(url, 2));
  await ds.initialize();
  try {
    const sql = await ds.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}
