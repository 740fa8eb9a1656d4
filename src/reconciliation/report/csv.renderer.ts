import type { DiscrepancyView, RunDetailView } from './run.views';

/**
 * One table, one header: every row starts with its `record_type` (`item` for each record not
 * MATCHED, `count` for each product/country/outcome count, `total` for each SUCCESSFUL total per
 * side and currency) and leaves the other types' columns empty. Any RFC 4180 parser reads it;
 * filter on the first column for each part.
 */
export const CSV_COLUMNS = [
  'record_type',
  'run_id',
  'discrepancy_id',
  'transaction_id',
  'product',
  'country',
  'operation',
  'outcome',
  'side',
  'status_before',
  'status_after',
  'mtn_status',
  'mtn_reason',
  'amount',
  'currency',
  'mtn_sent_currency',
  'mtn_amount',
  'mtn_currency',
  'external_id',
  'mtn_external_id',
  'financial_transaction_id',
  'mtn_financial_transaction_id',
  'differences',
  'age_seconds',
  'error_code',
  'note',
  'transaction_discrepancy_id',
  'acknowledged_at',
  'acknowledged_note',
  'count',
] as const;

type Column = (typeof CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | undefined>>;

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * RFC 4180 quoting, plus the usual guard against spreadsheet formulas: a text cell starting with
 * = + - @ or a control character gets a leading apostrophe (numbers are left alone).
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(row: Row): string {
  return CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
}

export function describeDifferences(d: DiscrepancyView['differences']): string {
  return d.map((x) => `${x.field}: ${x.ours ?? '(none)'} -> ${x.mtn ?? '(none)'}`).join('; ');
}

function itemRow(runId: string, d: DiscrepancyView): Row {
  return {
    record_type: 'item',
    run_id: runId,
    discrepancy_id: d.id,
    transaction_id: d.transactionId,
    product: d.product,
    country: d.country,
    operation: d.operation,
    outcome: d.outcome,
    status_before: d.statusBefore,
    status_after: d.statusAfter,
    mtn_status: d.mtn.status,
    mtn_reason: d.mtn.reason,
    amount: d.amount,
    currency: d.currency,
    mtn_sent_currency: d.mtnCurrency,
    mtn_amount: d.mtn.amount,
    mtn_currency: d.mtn.currency,
    external_id: d.externalId,
    mtn_external_id: d.mtn.externalId,
    financial_transaction_id: d.financialTransactionId,
    mtn_financial_transaction_id: d.mtn.financialTransactionId,
    differences: describeDifferences(d.differences),
    age_seconds: d.ageSeconds,
    error_code: d.errorCode,
    note: d.note,
    transaction_discrepancy_id: d.transactionDiscrepancyId,
    acknowledged_at: d.acknowledgedAt,
    acknowledged_note: d.acknowledgedNote,
  };
}

/** The run's report as CSV (CRLF line ends, header first); give it every discrepancy. */
export function renderCsv(run: RunDetailView): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const d of run.discrepancies) rows.push(line(itemRow(run.id, d)));
  for (const c of run.counts) {
    rows.push(
      line({
        record_type: 'count',
        run_id: run.id,
        product: c.product,
        country: c.country,
        outcome: c.outcome,
        count: c.count,
      }),
    );
  }
  for (const t of run.totals) {
    rows.push(
      line({
        record_type: 'total',
        run_id: run.id,
        side: t.side,
        currency: t.currency,
        amount: t.amount,
        count: t.count,
      }),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
