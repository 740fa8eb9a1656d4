import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/http/page.query';

export class ListTransactionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['PENDING', 'SUCCESSFUL', 'FAILED'] })
  @IsOptional()
  @IsIn(['PENDING', 'SUCCESSFUL', 'FAILED'])
  status?: 'PENDING' | 'SUCCESSFUL' | 'FAILED';

  @ApiPropertyOptional({ example: 'ORDER_12345' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  externalId?: string;

  @ApiPropertyOptional({ example: '256774123456' })
  @IsOptional()
  @IsString()
  @Length(6, 24)
  phoneNumber?: string;

  @ApiPropertyOptional({ example: 'UG' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as UG' })
  country?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;
}
