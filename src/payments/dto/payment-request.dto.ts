import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { KYC_LEVELS, type KycLevel } from '../../momo/country-rules/countries';

/** A positive decimal written as a string: money never travels as a JSON number. */
export const DECIMAL_STRING = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,6})?$/;
/** MTN refuses some characters in messages (`&`, `'` among them) and anything over 160. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const MTN_SAFE_TEXT = /^[^&'"<>\\\u0000-\u001f]*$/;
/** What MTN takes as an externalId; spaces have been reported refused, so none here. */
export const EXTERNAL_ID = /^[A-Za-z0-9._:\-/]+$/;

/** The fields every money-moving request shares. */
export class PaymentRequestDto {
  @ApiProperty({ description: 'Decimal string in the currency\'s units, within its minor units', example: '1000' })
  @IsString()
  @Matches(DECIMAL_STRING, { message: 'amount must be a positive decimal written as a string, e.g. "1000" or "12.50"' })
  amount!: string;

  @ApiProperty({ description: 'ISO 4217 code; must be the currency of the phone number\'s country', example: 'UGX' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency!: string;

  @ApiProperty({
    description: 'MSISDN with country code; `+256 774 123 456` and `256774123456` are both accepted. The country follows from it.',
    example: '256774123456',
  })
  @IsString()
  @Length(6, 24)
  phoneNumber!: string;

  @ApiProperty({ description: 'Your reference; unique per product among transactions that did not fail', example: 'ORDER_12345' })
  @IsString()
  @Length(1, 64)
  @Matches(EXTERNAL_ID, { message: 'externalId may contain letters, digits and . _ : - / only' })
  externalId!: string;

  @ApiPropertyOptional({ description: 'Shown to the payer; at most 160 characters, no & \' " < >', example: 'Payment for order 12345' })
  @IsOptional()
  @IsString()
  @MaxLength(160)
  @Matches(MTN_SAFE_TEXT, { message: 'payerMessage contains a character MTN refuses (& \' " < > or a control character)' })
  payerMessage?: string;

  @ApiPropertyOptional({ description: 'Note for the payee; at most 160 characters, no & \' " < >', example: 'Thank you for your purchase' })
  @IsOptional()
  @IsString()
  @MaxLength(160)
  @Matches(MTN_SAFE_TEXT, { message: 'payeeNote contains a character MTN refuses (& \' " < > or a control character)' })
  payeeNote?: string;

  @ApiPropertyOptional({
    description: 'ISO 3166 alpha-2 country; needed only for a local number (0774123456) or, in sandbox mode, MTN\'s test numbers (46733123450…)',
    example: 'UG',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as UG' })
  country?: string;

  @ApiPropertyOptional({ description: 'Customer verification level; picks the limit tier', enum: KYC_LEVELS, default: 'basic' })
  @IsOptional()
  @IsIn(KYC_LEVELS)
  kycLevel?: KycLevel;
}
