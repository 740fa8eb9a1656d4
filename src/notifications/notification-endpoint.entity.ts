import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { PRODUCTS, type Product } from '../common/product';
import { sqlList } from '../transactions/transaction.types';

/**
 * A URL an API key's owner asked to be told at, when a transaction that key created becomes
 * final. Deleting one only marks it (`deleted_at`), so its deliveries stay listed.
 *
 * The signing secret must be readable to sign with (unlike an API key, which is only compared),
 * so it is stored as it is; it is not loaded by default, so it cannot leak through a row that
 * ends up in a response or a log.
 */
@Entity({ name: 'notification_endpoints' })
// One live endpoint per URL and key: the same URL twice would receive every event twice.
@Index('uq_notification_endpoints_key_url', ['apiKeyId', 'url'], {
  unique: true,
  where: '"deleted_at" IS NULL',
})
@Check(
  'chk_notification_endpoints_products',
  `"products" IS NULL OR (cardinality("products") > 0 AND "products" <@ ARRAY[${sqlList(PRODUCTS)}]::text[])`,
)
export class NotificationEndpoint {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_notification_endpoints' })
  id!: string;

  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId!: string;

  @ManyToOne(() => ApiKeyEntity, { nullable: false, onDelete: 'RESTRICT', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_notification_endpoints_api_key' })
  apiKey?: ApiKeyEntity;

  @Column({ type: 'text' })
  url!: string;

  /** Only transactions of these products; null: every product. */
  @Column({ type: 'text', array: true, nullable: true })
  products!: Product[] | null;

  /** `whsec_…`: the HMAC-SHA256 key of the signature header. */
  @Column({ type: 'varchar', length: 64, select: false })
  secret?: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt!: Date | null;
}
