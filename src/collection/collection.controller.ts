import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiPaymentResponses } from '../payments/api-docs';
import { AccountHolderDto, AccountHolderQuery, BalanceDto, BalanceQuery } from '../payments/dto/account-queries.dto';
import { ListTransactionsQuery } from '../payments/dto/list-transactions.query';
import { TransactionPageDto } from '../payments/dto/transaction-page.dto';
import { idempotencyKeyOf } from '../payments/idempotency-key';
import { PaymentQueriesService } from '../payments/payment-queries.service';
import { TransactionView } from '../transactions/transaction.view';
import { CollectionService } from './collection.service';
import { RequestToPayDto } from './dto/request-to-pay.dto';
import { replied } from '../payments/replied';
import { CurrentApiKey, RequireScope } from '../auth/auth.decorators';
import type { AuthenticatedApiKey } from '../auth/authenticated-api-key';

@ApiTags('collections')
@Controller('v1/collections')
export class CollectionController {
  constructor(
    private readonly collections: CollectionService,
    private readonly queries: PaymentQueriesService,
  ) {}

  @RequireScope('collection:write')
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Request to pay: ask a customer to pay (the country follows from the phone number)' })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async requestToPay(@Body() body: RequestToPayDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.collections.requestToPay(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('collection:write')
  @Post('withdrawals')
  @HttpCode(202)
  @ApiOperation({ summary: 'Request to withdraw: ask a customer to cash out to us (MTN v2)' })
  @ApiAcceptedResponse({ type: TransactionView })
  @ApiPaymentResponses()
  async requestToWithdraw(@Body() body: RequestToPayDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply, @CurrentApiKey() apiKey: AuthenticatedApiKey): Promise<TransactionView> {
    return replied(reply, await this.collections.requestToWithdraw(body, idempotencyKeyOf(key), apiKey.id));
  }

  @RequireScope('collection:read')
  @Get()
  @ApiOperation({ summary: 'List collections, newest first, with filters and cursor pagination' })
  @ApiOkResponse({ type: TransactionPageDto })
  list(@Query() query: ListTransactionsQuery): Promise<TransactionPageDto> {
    return this.queries.list('collection', query);
  }

  @RequireScope('collection:read')
  @Get('balance')
  @ApiOperation({ summary: "The collection account's balance in a market" })
  @ApiOkResponse({ type: BalanceDto })
  balance(@Query() query: BalanceQuery): Promise<BalanceDto> {
    return this.queries.balance('collection', query.country, query.currency);
  }

  @RequireScope('collection:read')
  @Get('account-holders/:phoneNumber')
  @ApiOperation({ summary: 'Is this number an active MoMo account, and whose (where MTN offers it)' })
  @ApiOkResponse({ type: AccountHolderDto })
  accountHolder(@Param('phoneNumber') phoneNumber: string, @Query() query: AccountHolderQuery): Promise<AccountHolderDto> {
    return this.queries.accountHolder('collection', phoneNumber, query.country);
  }

  @RequireScope('collection:read')
  @Get(':id')
  @ApiOperation({ summary: 'One collection by id (the X-Reference-Id sent to MTN)' })
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ description: 'NOT_FOUND' })
  get(@Param('id') id: string): Promise<TransactionView> {
    return this.queries.get('collection', id);
  }
}

