import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { CollectionController } from './collection.controller';
import { CollectionService } from './collection.service';

@Module({
  imports: [PaymentsModule],
  controllers: [CollectionController],
  providers: [CollectionService],
})
export class CollectionModule {}
