import { OUTCOMES, type Outcome } from '../reconciliation.types';
import { describeDifferences } from './csv.renderer';
import type { RunDetailView } from './run.views';

/** Everything that reaches the page goes through here: text and attribute values alike. */
export function escapeHtml(value: string | number | undefined | null): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COLOURS: Record<Outcome, string> = {
  MATCHED: '#2e7d32',
  REPAIRED: '#1565c0',
  MISMATCH: '#c62828',
  MISSING_AT_MTN: '#6a1b9a',
  STILL_PENDING: '#ef6c00',
  ERROR: '#616161',
};

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.status-COMPLETED{color:#2e7d32}.status-FAILED,.status-ABANDONED{color:#c62828}.status-RUNNING{color:#ef6c00}`;

function cells(values: (string | number | undefined)[], numeric: readonly boolean[] = []): string {
  return values
    .map((v, i) => `<td${numeric[i] ? ' class="n"' : ''}>${escapeHtml(v)}</td>`)
    .join('');
}

/** Horizontal bars, one per outcome, drawn inline: the page needs nothing from elsewhere. */
export function outcomeChart(outcomes: Record<Outcome, number>): string {
  const rowHeight = 26;
  const labelWidth = 130;
  const barWidth = 360;
  const max = Math.max(1, ...OUTCOMES.map((o) => outcomes[o]));
  const height = rowHeight * OUTCOMES.length;
  const bars = OUTCOMES.map((o, i) => {
    const y = i * rowHeight;
    const w = outcomes[o] === 0 ? 0 : Math.max(2, Math.round((outcomes[o] / max) * barWidth));
    return (
      `<g><text x="0" y="${y + 17}" font-size="12">${escapeHtml(o)}</text>` +
      `<rect x="${labelWidth}" y="${y + 5}" width="${w}" height="16" fill="${COLOURS[o]}"><title>${escapeHtml(`${o}: ${outcomes[o]}`)}</title></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 17}" font-size="12">${escapeHtml(outcomes[o])}</text></g>`
    );
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Records per outcome" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}">${bars}</svg>`;
}

function summary(run: RunDetailView): string {
  const rows: [string, string | number][] = [
    ['Run', run.id],
    ['Kind', run.kind],
    ['Started by', run.triggeredBy],
    ['Window', `${run.window.from ?? 'everything'} → ${run.window.to}`],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt ?? '—'],
    ['Checked', `${run.progress.processed} of ${run.progress.total}`],
    ['Resumed', run.resumedCount],
  ];
  if (run.statusReason) rows.push(['Status reason', run.statusReason]);
  return `<dl><dt>Status</dt><dd class="status-${escapeHtml(run.status)}">${escapeHtml(run.status)}</dd>${rows
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('')}</dl>`;
}

function countsTable(run: RunDetailView): string {
  const groups = new Map<string, Record<Outcome, number>>();
  for (const c of run.counts) {
    const key = `${c.product} ${c.country}`;
    const row =
      groups.get(key) ??
      (Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>);
    row[c.outcome] += c.count;
    groups.set(key, row);
  }
  if (groups.size === 0) return '<p>No records in this run.</p>';
  const head = `<tr><th>Product</th><th>Country</th>${OUTCOMES.map((o) => `<th>${escapeHtml(o)}</th>`).join('')}</tr>`;
  const body = [...groups.entries()]
    .map(([key, row]) => {
      const [product, country] = key.split(' ');
      return `<tr>${cells([product, country, ...OUTCOMES.map((o) => row[o])], [false, false, ...OUTCOMES.map(() => true)])}</tr>`;
    })
    .join('');
  const all = `<tr><th colspan="2">All</th>${OUTCOMES.map((o) => `<td class="n"><strong>${escapeHtml(run.outcomes[o])}</strong></td>`).join('')}</tr>`;
  return `<table><thead>${head}</thead><tbody>${body}${all}</tbody></table>`;
}

function totalsTable(run: RunDetailView): string {
  if (run.totals.length === 0) return '<p>No SUCCESSFUL transactions in this run.</p>';
  const body = run.totals
    .map(
      (t) =>
        `<tr>${cells([t.side === 'gateway' ? 'Gateway (ours)' : 'MTN (reported)', t.currency, t.count, t.amount], [false, false, true, true])}</tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Side</th><th>Currency</th><th>SUCCESSFUL</th><th>Amount</th></tr></thead><tbody>${body}</tbody></table>`;
}

function discrepancyTable(run: RunDetailView): string {
  if (run.discrepancyCount === 0) return '<p>Every record matched MTN.</p>';
  const head = [
    'Outcome',
    'Product',
    'Country',
    'Transaction',
    'External id',
    'Ours',
    'MTN',
    'Amount',
    'MTN amount',
    'Differences',
    'Age (s)',
    'Note',
    'Acknowledged',
    'Discrepancy id',
  ];
  const body = run.discrepancies
    .map(
      (d) =>
        `<tr>${cells(
          [
            d.outcome,
            d.product,
            d.country,
            d.transactionId,
            d.externalId,
            d.statusBefore === d.statusAfter
              ? d.statusAfter
              : `${d.statusBefore} → ${d.statusAfter}`,
            [d.mtn.status, d.mtn.reason].filter(Boolean).join(' ') || '—',
            `${d.amount} ${d.currency}`,
            d.mtn.amount !== undefined ? `${d.mtn.amount} ${d.mtn.currency ?? ''}`.trim() : '—',
            describeDifferences(d.differences) || '—',
            d.ageSeconds,
            [d.errorCode, d.note].filter(Boolean).join(': ') || '—',
            d.acknowledgedAt ? `${d.acknowledgedAt}: ${d.acknowledgedNote ?? ''}` : 'no',
            d.id,
          ],
          [false, false, false, false, false, false, false, true, true, false, true],
        )}</tr>`,
    )
    .join('');
  const shown =
    run.discrepancies.length < run.discrepancyCount
      ? `<p>Showing ${escapeHtml(run.discrepancies.length)} of ${escapeHtml(run.discrepancyCount)}; the CSV report lists them all.</p>`
      : '';
  return `${shown}<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A self-contained page (no script, no external asset): summary, chart, counts, totals, discrepancies. */
export function renderHtml(run: RunDetailView): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Reconciliation ${run.kind} ${run.id}`)}</title><style>${CSS}</style></head>
<body>
<h1>Reconciliation run: ${escapeHtml(run.kind)}</h1>
${summary(run)}
<h2>Outcomes</h2>
${outcomeChart(run.outcomes)}
<h2>By product and country</h2>
${countsTable(run)}
<h2>SUCCESSFUL totals</h2>
${totalsTable(run)}
<h2>Discrepancies (${escapeHtml(run.discrepancyCount)})</h2>
${discrepancyTable(run)}
</body></html>
`;
}
