import { Injectable } from '@nestjs/common';
import { PaymentInitiationService, type InitiationResult } from '../payments/payment-initiation.service';
import type { RefundDto } from './dto/refund.dto';
import type { TransferDto } from './dto/transfer.dto';

@Injectable()
export class DisbursementService {
  constructor(private readonly payments: PaymentInitiationService) {}

  transfer(dto: TransferDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    const { checkPayee, ...request } = dto;
    return this.payments.initiate({ product: 'disbursement', operation: 'transfer', request, idempotencyKey, apiKeyId, checkPayee });
  }

  deposit(dto: TransferDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    const { checkPayee, ...request } = dto;
    return this.payments.initiate({ product: 'disbursement', operation: 'deposit', request, idempotencyKey, apiKeyId, checkPayee });
  }

  refund(dto: RefundDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    return this.payments.initiateRefund({ ...dto, idempotencyKey, apiKeyId });
  }
}
