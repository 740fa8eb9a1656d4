import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DECIMAL_STRING, MTN_SAFE_TEXT, PaymentRequestDto } from '../../payments/dto/payment-request.dto';

export const PAYER_ID_TYPES = ['PASS', 'CPFA', 'SRSSA', 'NRIN', 'OTHR', 'DRLC', 'SOCS', 'AREG', 'IDCD', 'EMID'] as const;

/** Cross-border cash transfer with the sender's identity, as MTN's v2 cashtransfer requires. */
export class CashTransferDto extends PaymentRequestDto {
  @ApiProperty({ description: 'Where the money comes from (ISO 3166 alpha-2)', example: 'GB' })
  @Matches(/^[A-Z]{2}$/, { message: 'originatingCountry must be an ISO 3166 alpha-2 code' })
  originatingCountry!: string;

  @ApiProperty({ description: 'The amount the sender paid, as a decimal string', example: '20.00' })
  @IsString()
  @Matches(DECIMAL_STRING, { message: 'originalAmount must be a positive decimal written as a string' })
  originalAmount!: string;

  @ApiProperty({ example: 'GBP' })
  @Matches(/^[A-Z]{3}$/, { message: 'originalCurrency must be a three-letter ISO 4217 code' })
  originalCurrency!: string;

  @ApiProperty({ enum: PAYER_ID_TYPES, example: 'PASS' })
  @IsIn(PAYER_ID_TYPES)
  payerIdentificationType!: string;

  @ApiProperty({ example: 'P1234567' })
  @IsString()
  @Length(1, 64)
  @Matches(MTN_SAFE_TEXT)
  payerIdentificationNumber!: string;

  @ApiProperty({ example: 'Jane' })
  @IsString()
  @Length(1, 64)
  @Matches(MTN_SAFE_TEXT)
  payerFirstName!: string;

  @ApiProperty({ example: 'Doe' })
  @IsString()
  @Length(1, 64)
  @Matches(MTN_SAFE_TEXT)
  payerSurName!: string;

  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}$/, { message: 'payerLanguageCode must be an ISO 639 code' })
  payerLanguageCode?: string;

  @ApiPropertyOptional({ example: 'jane@example.com' })
  @IsOptional()
  @IsEmail()
  payerEmail?: string;

  @ApiPropertyOptional({ example: '447911123456' })
  @IsOptional()
  @Matches(/^[0-9]{6,15}$/, { message: 'payerMsisdn must be digits with the country code' })
  payerMsisdn?: string;

  @ApiPropertyOptional({ enum: ['MALE', 'FEMALE'] })
  @IsOptional()
  @IsIn(['MALE', 'FEMALE'])
  payerGender?: string;
}

/** MTN's field names for the sender (note MTN's own spelling `orginatingCountry`). */
export function cashTransferMtnFields(dto: CashTransferDto): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    orginatingCountry: dto.originatingCountry,
    originalAmount: dto.originalAmount,
    originalCurrency: dto.originalCurrency,
    payerIdentificationType: dto.payerIdentificationType,
    payerIdentificationNumber: dto.payerIdentificationNumber,
    payerFirstName: dto.payerFirstName,
    payerSurName: dto.payerSurName,
    payerLanguageCode: dto.payerLanguageCode,
    payerEmail: dto.payerEmail,
    payerMsisdn: dto.payerMsisdn,
    payerGender: dto.payerGender,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
}
