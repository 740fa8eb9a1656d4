import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from '../reconciliation.types';

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: RUN_KINDS })
  @IsOptional()
  @IsIn(RUN_KINDS)
  kind?: RunKind;

  @ApiPropertyOptional({ enum: RUN_STATUSES })
  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
