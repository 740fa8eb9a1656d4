import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MomoTransaction } from './momo-transaction.entity';
import { TransactionDiscrepancy } from './transaction-discrepancy.entity';
import { TransactionEvent } from './transaction-event.entity';
import { TransactionsService } from './transactions.service';

/** Needs the app's TypeORM root (DatabaseModule); imported by every product module. */
@Module({
  imports: [TypeOrmModule.forFeature([MomoTransaction, TransactionEvent, TransactionDiscrepancy])],
  providers: [TransactionsService],
  exports: [TransactionsService],
})
export class TransactionsModule {}
