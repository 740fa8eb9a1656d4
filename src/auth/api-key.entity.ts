import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ApiKeyScope } from './api-key.scopes';

/**
 * One REST consumer's API key. The key itself is never stored: only its prefix (safe to show and
 * log) and the SHA-256 of the whole key. A key is revoked, never deleted, so what a name meant
 * stays on record; a name is therefore never reused.
 */
@Entity({ name: 'api_keys' })
@Index('uq_api_keys_name', ['name'], { unique: true })
@Index('uq_api_keys_prefix', ['prefix'], { unique: true })
@Check('chk_api_keys_rate_limit', `"rate_limit_per_minute" IS NULL OR "rate_limit_per_minute" > 0`)
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_keys' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** The 8 characters after `mgw_`; the lookup key. */
  @Column({ type: 'varchar', length: 8 })
  prefix!: string;

  /** Hex SHA-256 of the whole key. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  /** Requests per minute; null: the configured default (API_KEY_RATE_LIMIT_PER_MINUTE). */
  @Column({ name: 'rate_limit_per_minute', type: 'integer', nullable: true })
  rateLimitPerMinute!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Written at most about once a minute per key, so it costs nothing per request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
