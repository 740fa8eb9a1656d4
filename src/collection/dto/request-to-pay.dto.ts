import { PaymentRequestDto } from '../../payments/dto/payment-request.dto';

/** Request to pay: the customer (`phoneNumber`) is asked to approve paying `amount`. */
export class RequestToPayDto extends PaymentRequestDto {}
