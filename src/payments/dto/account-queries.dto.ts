import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class BalanceQuery {
  @ApiProperty({ description: 'The market whose MTN account to ask', example: 'UG' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as UG' })
  country!: string;

  @ApiPropertyOptional({ description: 'Balance in this currency (MTN converts)', example: 'UGX' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;
}

export class AccountHolderQuery {
  @ApiPropertyOptional({ description: 'Only for a local number or a sandbox test number', example: 'UG' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as UG' })
  country?: string;
}

export class BalanceDto {
  @ApiProperty({ example: '15000000' }) availableBalance!: string;
  @ApiProperty({ example: 'UGX' }) currency!: string;
}

export class AccountHolderDto {
  @ApiProperty({ example: '256774123456' }) phoneNumber!: string;
  @ApiProperty({ example: 'UG' }) country!: string;
  @ApiProperty({ description: 'Registered and active on MoMo' }) active!: boolean;
  @ApiPropertyOptional({ example: 'Sand' }) givenName?: string;
  @ApiPropertyOptional({ example: 'Box' }) familyName?: string;
}
