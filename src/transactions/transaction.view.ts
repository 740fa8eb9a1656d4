import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRODUCTS, type Product } from '../common/product';
import type { MomoTransaction } from './momo-transaction.entity';
import {
  TRANSACTION_OPERATIONS,
  TRANSACTION_STATUSES,
  type TransactionOperation,
  type TransactionStatus,
} from './transaction.types';

/**
 * A transaction as the API shows it. Built only through `toTransactionView`, which names every
 * field it copies, so nothing internal (callback token, request hash, MTN account, poll state)
 * can reach a caller by accident. Absent optional values are omitted, not null.
 */
export class TransactionView {
  @ApiProperty({
    format: 'uuid',
    description: 'Our reference, also the X-Reference-Id sent to MTN',
  })
  id!: string;

  @ApiProperty({ enum: PRODUCTS })
  product!: Product;

  @ApiProperty({ enum: TRANSACTION_OPERATIONS })
  operation!: TransactionOperation;

  @ApiProperty({ enum: TRANSACTION_STATUSES })
  status!: TransactionStatus;

  @ApiPropertyOptional({
    description: 'Why it FAILED: an MTN reason code or ours',
    example: 'PAYER_NOT_FOUND',
  })
  reason?: string;

  @ApiProperty({ description: 'Decimal string, never a number', example: '1000' })
  amount!: string;

  @ApiProperty({ example: 'UGX' })
  currency!: string;

  @ApiProperty({ example: 'UG' })
  country!: string;

  @ApiProperty({ description: 'MSISDN digits without +', example: '256774123456' })
  phoneNumber!: string;

  @ApiProperty({ example: 'ORDER_12345' })
  externalId!: string;

  @ApiPropertyOptional({
    description: "MTN's receipt number once SUCCESSFUL",
    example: '600198217',
  })
  financialTransactionId?: string;

  @ApiPropertyOptional()
  payerMessage?: string;

  @ApiPropertyOptional()
  payeeNote?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'For a refund: the collection it refunds' })
  parentId?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it became SUCCESSFUL or FAILED' })
  completedAt?: string;
}

export function toTransactionView(t: MomoTransaction): TransactionView {
  const view: TransactionView = {
    id: t.id,
    product: t.product,
    operation: t.operation,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    country: t.country,
    phoneNumber: t.msisdn,
    externalId: t.externalId,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
  if (t.reason !== null) view.reason = t.reason;
  if (t.financialTransactionId !== null) view.financialTransactionId = t.financialTransactionId;
  if (t.payerMessage !== null) view.payerMessage = t.payerMessage;
  if (t.payeeNote !== null) view.payeeNote = t.payeeNote;
  if (t.parentId !== null) view.parentId = t.parentId;
  if (t.completedAt !== null) view.completedAt = t.completedAt.toISOString();
  return view;
}
