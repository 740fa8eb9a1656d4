import type { DataSource, EntityManager, QueryResult } from 'typeorm';

/**
 * Rows of a raw statement, whatever its kind: TypeORM's `manager.query` returns `[rows, count]`
 * for UPDATE but bare rows for INSERT and SELECT, which is easy to get wrong. Only for managers
 * of a running transaction (`dataSource.transaction(...)`).
 */
export async function sqlRows<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  if (!manager.queryRunner) throw new Error('sqlRows needs the manager of a database transaction');
  const result = (await manager.queryRunner.query(sql, parameters, true)) as QueryResult<T>;
  return result.records;
}

/**
 * Rows of one raw statement run on its own (autocommit: no BEGIN, no COMMIT round trips), for a
 * single statement that is atomic by itself, such as `UPDATE … RETURNING *` of one row.
 */
export async function autocommitRows<T>(
  dataSource: DataSource,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const result = (await runner.query(sql, parameters, true)) as QueryResult<T>;
    return result.records;
  } finally {
    await runner.release();
  }
}
