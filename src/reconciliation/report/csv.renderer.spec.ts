import { csvRecords, parseCsv } from '../../../test/reconciliation/support/csv';
import { CSV_COLUMNS, csvCell, renderCsv } from './csv.renderer';
import { sampleDiscrepancy, sampleRun } from './report.fixture';

describe('renderCsv', () => {
  it('writes one header and rows of the same width, with CRLF line ends', () => {
    const text = renderCsv(sampleRun());
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('has an item row per discrepancy, then count and total rows equal to the run', () => {
    const run = sampleRun();
    const records = csvRecords(renderCsv(run));
    const items = records.filter((r) => r.record_type === 'item');
    expect(items).toEqual([
      expect.objectContaining({
        discrepancy_id: run.discrepancies[0]!.id,
        outcome: 'MISMATCH',
        amount: '1000',
        mtn_amount: '990',
        differences: 'amount: 1000 -> 990',
        age_seconds: '86400',
      }),
    ]);
    const counts = records
      .filter((r) => r.record_type === 'count')
      .map((r) => ({
        product: r.product,
        country: r.country,
        outcome: r.outcome,
        count: Number(r.count),
      }));
    expect(counts).toEqual(run.counts);
    const totals = records
      .filter((r) => r.record_type === 'total')
      .map((r) => ({
        side: r.side,
        currency: r.currency,
        count: Number(r.count),
        amount: r.amount,
      }));
    expect(totals).toEqual(run.totals);
  });

  it('quotes commas, quotes and line breaks so they parse back exactly', () => {
    const externalId = 'A,"B"\r\nC';
    const records = csvRecords(
      renderCsv(sampleRun({}, [sampleDiscrepancy({ externalId, acknowledgedNote: 'ok, "fine"' })])),
    );
    expect(records[0]).toMatchObject({ external_id: externalId, acknowledged_note: 'ok, "fine"' });
  });

  it('defuses spreadsheet formulas in text but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(undefined)).toBe('');
  });

  it('still has its header and totals when nothing is off', () => {
    const records = csvRecords(renderCsv(sampleRun({}, [])));
    expect(records.filter((r) => r.record_type === 'item')).toEqual([]);
    expect(records.filter((r) => r.record_type === 'total')).toHaveLength(3);
  });
});
