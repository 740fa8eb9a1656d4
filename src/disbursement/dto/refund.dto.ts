import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { DECIMAL_STRING, EXTERNAL_ID, MTN_SAFE_TEXT } from '../../payments/dto/payment-request.dto';

/** Refund of a SUCCESSFUL collection, to its payer; never more than was collected in all. */
export class RefundDto {
  @ApiProperty({ format: 'uuid', description: 'The collection to refund' })
  @IsUUID('4')
  collectionId!: string;

  @ApiPropertyOptional({ description: 'Decimal string; unset refunds whatever is left of the collection', example: '500' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL_STRING, { message: 'amount must be a positive decimal written as a string, e.g. "1000" or "12.50"' })
  amount?: string;

  @ApiProperty({ example: 'REFUND_12345' })
  @IsString()
  @Length(1, 64)
  @Matches(EXTERNAL_ID, { message: 'externalId may contain letters, digits and . _ : - / only' })
  externalId!: string;

  @ApiPropertyOptional({ example: 'Refund for order 12345' })
  @IsOptional()
  @IsString()
  @MaxLength(160)
  @Matches(MTN_SAFE_TEXT, { message: 'payerMessage contains a character MTN refuses (& \' " < > or a control character)' })
  payerMessage?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(160)
  @Matches(MTN_SAFE_TEXT, { message: 'payeeNote contains a character MTN refuses (& \' " < > or a control character)' })
  payeeNote?: string;
}
