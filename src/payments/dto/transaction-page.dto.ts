import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TransactionView } from '../../transactions/transaction.view';

export class TransactionPageDto {
  @ApiProperty({ type: [TransactionView] }) items!: TransactionView[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' }) nextCursor?: string;
}
