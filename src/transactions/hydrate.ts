import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** The columns a `find` would load, per entity: no virtual columns, none marked `select: false`. */
const loadedColumns = new WeakMap<EntityMetadata, ColumnMetadata[]>();

function columnsOf(metadata: EntityMetadata): ColumnMetadata[] {
  let columns = loadedColumns.get(metadata);
  if (!columns) {
    columns = metadata.columns.filter((c) => !c.isVirtual && c.isSelect);
    loadedColumns.set(metadata, columns);
  }
  return columns;
}

/**
 * Turns one raw row (`INSERT/UPDATE … RETURNING *`, keyed by database column names) into an
 * entity exactly as `findOneBy` would return it, without a second query: the same metadata, the
 * same `driver.prepareHydratedValue` per column (timestamps → Date, numeric stays a string …).
 * Columns with `select: false` (the callback token) are left out, as a find leaves them out. No
 * relations and no `@AfterLoad` listeners (the transactions entities have none).
 */
export function hydrate<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  raw: Record<string, unknown>,
): T {
  const metadata = dataSource.getMetadata(target);
  const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
  for (const column of columnsOf(metadata)) {
    const value = raw[column.databaseName];
    if (value === undefined) continue;
    column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(value, column));
  }
  return entity;
}
