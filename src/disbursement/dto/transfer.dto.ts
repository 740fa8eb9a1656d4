import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { PaymentRequestDto } from '../../payments/dto/payment-request.dto';

/** Transfer or deposit: we pay `amount` to the customer `phoneNumber`. */
export class TransferDto extends PaymentRequestDto {
  @ApiPropertyOptional({ description: 'Check first that the payee is an active MoMo account (PAYEE_NOT_FOUND otherwise, nothing stored)', default: false })
  @IsOptional()
  @IsBoolean()
  checkPayee?: boolean;
}
