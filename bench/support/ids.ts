/**
 * Deterministic UUID v4-shaped ids (`pppppppp-0000-4000-8000-iiiiiiiiiiii`), so the bench can
 * write the same reference ids into PostgreSQL (in SQL) and into the emulator (over IPC) without
 * shipping 100,000 ids between processes. `benchUuidSql` is the same function in SQL.
 */
export function benchUuid(prefix: number, i: number): string {
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** SQL expression of `benchUuid(prefix, <column>)`. */
export function benchUuidSql(prefix: number, column: string): string {
  return `(lpad(to_hex(${prefix}), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(${column}), 12, '0'))::uuid`;
}
