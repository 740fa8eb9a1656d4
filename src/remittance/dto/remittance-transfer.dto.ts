import { PaymentRequestDto } from '../../payments/dto/payment-request.dto';

/** Cross-border transfer into a MoMo wallet (`phoneNumber` is the payee). */
export class RemittanceTransferDto extends PaymentRequestDto {}
