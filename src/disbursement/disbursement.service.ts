import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { PaymentInitiationService, type InitiationResult } from '../payments/payment-initiation.service';
import { PaymentQueriesService } from '../payments/payment-queries.service';
import type { RefundDto } from './dto/refund.dto';
import type { TransferDto } from './dto/transfer.dto';

@Injectable()
export class DisbursementService {
  constructor(
    private readonly payments: PaymentInitiationService,
    private readonly queries: PaymentQueriesService,
  ) {}

  async transfer(dto: TransferDto, idempotencyKey?: string): Promise<InitiationResult> {
    const { checkPayee, ...request } = dto;
    if (checkPayee) await this.assertPayeeActive(request.phoneNumber, request.country);
    return this.payments.initiate({ product: 'disbursement', operation: 'transfer', request, idempotencyKey });
  }

  async deposit(dto: TransferDto, idempotencyKey?: string): Promise<InitiationResult> {
    const { checkPayee, ...request } = dto;
    if (checkPayee) await this.assertPayeeActive(request.phoneNumber, request.country);
    return this.payments.initiate({ product: 'disbursement', operation: 'deposit', request, idempotencyKey });
  }

  refund(dto: RefundDto, idempotencyKey?: string): Promise<InitiationResult> {
    return this.payments.initiateRefund({ ...dto, idempotencyKey });
  }

  private async assertPayeeActive(phoneNumber: string, country?: string): Promise<void> {
    const holder = await this.queries.accountHolder('disbursement', phoneNumber, country);
    if (!holder.active) {
      throw new DomainError('PAYEE_NOT_FOUND', 'The payee is not an active MoMo account', {
        details: [{ field: 'phoneNumber', message: 'not an active MoMo account' }],
      });
    }
  }
}
