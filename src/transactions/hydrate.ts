import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** A column a `find` would load, and whether its value can be set as a plain property. */
interface LoadedColumn {
  metadata: ColumnMetadata;
  databaseName: string;
  propertyName: string;
  /**
   * Not inside an embedded: `setEntityValue` would do exactly `entity[propertyName] = value`
   * (its other branch is for virtual columns, which are never loaded), so it is done directly.
   */
  plain: boolean;
}

/** The columns a `find` would load, per entity: no virtual columns, none marked `select: false`. */
const loadedColumns = new WeakMap<EntityMetadata, LoadedColumn[]>();

function columnsOf(metadata: EntityMetadata): LoadedColumn[] {
  let columns = loadedColumns.get(metadata);
  if (!columns) {
    columns = metadata.columns
      .filter((c) => !c.isVirtual && c.isSelect)
      .map((c) => ({
        metadata: c,
        databaseName: c.databaseName,
        propertyName: c.propertyName,
        plain: !c.embeddedMetadata,
      }));
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
  const driver = dataSource.driver;
  for (const column of columnsOf(metadata)) {
    const value = raw[column.databaseName];
    if (value === undefined) continue;
    const hydrated: unknown = driver.prepareHydratedValue(value, column.metadata);
    if (column.plain) (entity as Record<string, unknown>)[column.propertyName] = hydrated;
    else column.metadata.setEntityValue(entity, hydrated);
  }
  return entity;
}
