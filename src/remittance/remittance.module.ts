import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { RemittanceController } from './remittance.controller';
import { RemittanceService } from './remittance.service';

@Module({
  imports: [PaymentsModule],
  controllers: [RemittanceController],
  providers: [RemittanceService],
})
export class RemittanceModule {}
