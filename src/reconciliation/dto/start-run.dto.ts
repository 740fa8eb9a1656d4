import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { RUN_KINDS, type RunKind } from '../reconciliation.types';

export class StartRunDto {
  @ApiProperty({
    enum: RUN_KINDS,
    description:
      '`stale-pending`: every PENDING older than the threshold; `daily`: every transaction of a UTC day (the previous one unless `from` names it); `window`: every transaction created in [from, to)',
    example: 'daily',
  })
  @IsIn(RUN_KINDS)
  kind!: RunKind;

  @ApiPropertyOptional({
    description: 'daily: the UTC day (YYYY-MM-DD); window: inclusive start (ISO 8601 with a zone)',
    example: '2026-11-01',
  })
  @IsOptional()
  @IsString()
  @Length(10, 40)
  from?: string;

  @ApiPropertyOptional({
    description: 'window only: exclusive end (ISO 8601 with a zone), at most 31 days after from',
    example: '2026-11-02T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  @Length(10, 40)
  to?: string;
}
