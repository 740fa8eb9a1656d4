import { Injectable } from '@nestjs/common';
import type { Product } from '../common/product';
import { MomoClient } from '../momo/client/momo-client';
import { CountryRulesService } from '../momo/country-rules/country-rules.service';
import { toTransactionView, type TransactionView } from '../transactions/transaction.view';
import { TransactionsService } from '../transactions/transactions.service';
import type { AccountHolderDto, BalanceDto } from './dto/account-queries.dto';
import type { ListTransactionsQuery } from './dto/list-transactions.query';
import type { TransactionPageDto } from './dto/transaction-page.dto';

/** The read side every product shares: one transaction, lists, balance, account holders. */
@Injectable()
export class PaymentQueriesService {
  constructor(
    private readonly transactions: TransactionsService,
    private readonly rules: CountryRulesService,
    private readonly momo: MomoClient,
  ) {}

  async get(product: Product, id: string): Promise<TransactionView> {
    return toTransactionView(await this.transactions.findById(product, id));
  }

  async list(product: Product, query: ListTransactionsQuery): Promise<TransactionPageDto> {
    const phoneNumber = query.phoneNumber
      ? this.rules.normaliseMsisdn(query.phoneNumber, query.country, { field: 'phoneNumber' }).msisdn
      : undefined;
    const page = await this.transactions.list(product, {
      status: query.status,
      externalId: query.externalId,
      phoneNumber,
      country: query.country,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: page.items.map(toTransactionView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async balance(product: Product, country: string, currency?: string): Promise<BalanceDto> {
    const rules = this.rules.rulesFor(country, 'country');
    return this.momo.getBalance({ product, country: rules.code, ...(currency ? { currency } : {}) });
  }

  async accountHolder(product: Product, phoneNumber: string, country?: string): Promise<AccountHolderDto> {
    const n = this.rules.normaliseMsisdn(phoneNumber, country, { field: 'phoneNumber' });
    const ctx = { product, country: n.country, msisdn: n.msisdn };
    const active = await this.momo.isAccountHolderActive(ctx);
    const holder: AccountHolderDto = { phoneNumber: n.msisdn, country: n.country, active };
    if (active) {
      // The name is a convenience: a market that does not offer basic user info still answers.
      const info = await this.momo.getBasicUserInfo(ctx).catch(() => undefined);
      if (info?.givenName) holder.givenName = info.givenName;
      if (info?.familyName) holder.familyName = info.familyName;
    }
    return holder;
  }
}
