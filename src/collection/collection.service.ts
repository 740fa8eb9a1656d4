import { Injectable } from '@nestjs/common';
import { PaymentInitiationService, type InitiationResult } from '../payments/payment-initiation.service';
import type { RequestToPayDto } from './dto/request-to-pay.dto';

@Injectable()
export class CollectionService {
  constructor(private readonly payments: PaymentInitiationService) {}

  requestToPay(request: RequestToPayDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    return this.payments.initiate({ product: 'collection', operation: 'requestToPay', request, idempotencyKey, apiKeyId });
  }

  requestToWithdraw(request: RequestToPayDto, idempotencyKey?: string, apiKeyId?: string): Promise<InitiationResult> {
    return this.payments.initiate({ product: 'collection', operation: 'requestToWithdraw', request, idempotencyKey, apiKeyId });
  }
}
