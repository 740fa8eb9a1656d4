import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiPaymentResponses } from '../payments/api-docs';
import { AccountHolderDto, AccountHolderQuery, BalanceDto, BalanceQuery } from '../payments/dto/account-queries.dto';
import { ListTransactionsQuery } from '../payments/dto/list-transactions.query';
import { TransactionPageDto } from '../payments/dto/transaction-page.dto';
import { idempotencyKeyOf } from '../payments/idempotency-key';
import { PaymentQueriesService } from '../payments/payment-queries.service';
import { replied } from '../payments/replied';
import { TransactionView } from '../transactions/transaction.view';
import { DisbursementService } from './disbursement.service';
import { RefundDto } from './dto/refund.dto';
import { TransferDto } from './dto/transfer.dto';
import { CurrentApiKey, RequireScope } from '../auth/auth.decorators';
import type { AuthenticatedApiKey } from '../auth/authenticated-api-key';

@ApiTags('disbursements')
@Controller('v1/disbursements')
export class DisbursementController {
  constructor(
    private readonly disbursements: DisbursementService,
    private readonly queries: PaymentQueriesService,
  ) {}

  @RequireScope('disbursement:write')
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Transfer: pay a customer from the disbursement account' })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async transfer(@Body() body: TransferDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.disbursements.transfer(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('disbursement:write')
  @Post('deposits')
  @HttpCode(202)
  @ApiOperation({ summary: "Deposit into a customer's wallet (MTN v2)" })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async deposit(@Body() body: TransferDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.disbursements.deposit(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('disbursement:write')
  @Post('refunds')
  @HttpCode(202)
  @ApiOperation({ summary: 'Refund a SUCCESSFUL collection to its payer, never more than was collected in all' })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async refund(@Body() body: RefundDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.disbursements.refund(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('disbursement:read')
  @Get()
  @ApiOperation({ summary: 'List disbursements (transfers, deposits, refunds), newest first' })
  @ApiOkResponse({ type: TransactionPageDto })
  list(@Query() query: ListTransactionsQuery): Promise<TransactionPageDto> {
    return this.queries.list('disbursement', query);
  }

  @RequireScope('disbursement:read')
  @Get('balance')
  @ApiOperation({ summary: "The disbursement account's balance in a market" })
  @ApiOkResponse({ type: BalanceDto })
  balance(@Query() query: BalanceQuery): Promise<BalanceDto> {
    return this.queries.balance('disbursement', query.country, query.currency);
  }

  @RequireScope('disbursement:read')
  @Get('account-holders/:phoneNumber')
  @ApiOperation({ summary: 'Is this number an active MoMo account, and whose (where MTN offers it)' })
  @ApiOkResponse({ type: AccountHolderDto })
  accountHolder(@Param('phoneNumber') phoneNumber: string, @Query() query: AccountHolderQuery): Promise<AccountHolderDto> {
    return this.queries.accountHolder('disbursement', phoneNumber, query.country);
  }

  @RequireScope('disbursement:read')
  @Get(':id')
  @ApiOperation({ summary: 'One disbursement by id (the X-Reference-Id sent to MTN)' })
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  get(@Param('id') id: string): Promise<TransactionView> {
    return this.queries.get('disbursement', id);
  }
}
