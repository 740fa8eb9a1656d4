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
import { CashTransferDto } from './dto/cash-transfer.dto';
import { RemittanceTransferDto } from './dto/remittance-transfer.dto';
import { RemittanceService } from './remittance.service';
import { CurrentApiKey, RequireScope } from '../auth/auth.decorators';
import type { AuthenticatedApiKey } from '../auth/authenticated-api-key';

@ApiTags('remittances')
@Controller('v1/remittances')
export class RemittanceController {
  constructor(
    private readonly remittances: RemittanceService,
    private readonly queries: PaymentQueriesService,
  ) {}

  @RequireScope('remittance:write')
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Cross-border transfer into a MoMo wallet' })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async transfer(@Body() body: RemittanceTransferDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.remittances.transfer(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('remittance:write')
  @Post('cash-transfers')
  @HttpCode(202)
  @ApiOperation({ summary: "Cross-border cash transfer with the sender's identity (MTN v2)" })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async cashTransfer(@Body() body: CashTransferDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.remittances.cashTransfer(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('remittance:read')
  @Get()
  @ApiOperation({ summary: 'List remittances, newest first' })
  @ApiOkResponse({ type: TransactionPageDto })
  list(@Query() query: ListTransactionsQuery): Promise<TransactionPageDto> {
    return this.queries.list('remittance', query);
  }

  @RequireScope('remittance:read')
  @Get('balance')
  @ApiOperation({ summary: "The remittance account's balance in a market" })
  @ApiOkResponse({ type: BalanceDto })
  balance(@Query() query: BalanceQuery): Promise<BalanceDto> {
    return this.queries.balance('remittance', query.country, query.currency);
  }

  @RequireScope('remittance:read')
  @Get('account-holders/:phoneNumber')
  @ApiOperation({ summary: 'Is this number an active MoMo account, and whose (where MTN offers it)' })
  @ApiOkResponse({ type: AccountHolderDto })
  accountHolder(@Param('phoneNumber') phoneNumber: string, @Query() query: AccountHolderQuery): Promise<AccountHolderDto> {
    return this.queries.accountHolder('remittance', phoneNumber, query.country);
  }

  @RequireScope('remittance:read')
  @Get(':id')
  @ApiOperation({ summary: 'One remittance by id (the X-Reference-Id sent to MTN)' })
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  get(@Param('id') id: string): Promise<TransactionView> {
    return this.queries.get('remittance', id);
  }
}
