import { Injectable } from '@nestjs/common';
import { PaymentInitiationService, type InitiationResult } from '../payments/payment-initiation.service';
import type { PaymentRequestDto } from '../payments/dto/payment-request.dto';
import { cashTransferMtnFields, type CashTransferDto } from './dto/cash-transfer.dto';
import type { RemittanceTransferDto } from './dto/remittance-transfer.dto';

@Injectable()
export class RemittanceService {
  constructor(private readonly payments: PaymentInitiationService) {}

  transfer(request: RemittanceTransferDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    return this.payments.initiate({ product: 'remittance', operation: 'transfer', request, idempotencyKey, apiKeyId });
  }

  cashTransfer(dto: CashTransferDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    const request: PaymentRequestDto = {
      amount: dto.amount,
      currency: dto.currency,
      phoneNumber: dto.phoneNumber,
      externalId: dto.externalId,
      payerMessage: dto.payerMessage,
      payeeNote: dto.payeeNote,
      kycLevel: dto.kycLevel,
      country: dto.country,
    };
    return this.payments.initiate({ product: 'remittance', operation: 'cashTransfer', request, idempotencyKey, apiKeyId, extraMtnFields: cashTransferMtnFields(dto) });
  }
}
