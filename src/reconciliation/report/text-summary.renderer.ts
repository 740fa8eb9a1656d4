import { OUTCOMES } from '../reconciliation.types';
import type { RunDetailView } from './run.views';

/** The summary the CLI prints when a run is over: plain lines, no colour. */
export function renderTextSummary(run: RunDetailView): string[] {
  const lines = [
    `Reconciliation run ${run.id} (${run.kind}, started by ${run.triggeredBy}): ${run.status}`,
    `  window:   ${run.window.from ?? 'everything'} -> ${run.window.to}`,
    `  checked:  ${run.progress.processed} of ${run.progress.total}`,
  ];
  if (run.statusReason) lines.push(`  reason:   ${run.statusReason}`);
  const width = Math.max(...OUTCOMES.map((o) => o.length));
  lines.push('  outcomes:');
  for (const o of OUTCOMES) lines.push(`    ${o.padEnd(width)}  ${run.outcomes[o]}`);
  if (run.totals.length > 0) {
    lines.push('  SUCCESSFUL totals:');
    for (const t of run.totals)
      lines.push(`    ${t.side.padEnd(7)} ${t.currency}  ${t.amount} (${t.count})`);
  }
  lines.push(`  discrepancies: ${run.discrepancyCount}`);
  for (const d of run.discrepancies.slice(0, 20)) {
    lines.push(
      `    ${d.outcome.padEnd(width)}  ${d.product}/${d.country}  ${d.transactionId}  ${JSON.stringify(d.externalId)}${d.note ? `  (${d.note})` : ''}`,
    );
  }
  if (run.discrepancyCount > 20)
    lines.push(
      `    … ${run.discrepancyCount - 20} more: GET /v1/reconciliation/runs/${run.id}/report.csv`,
    );
  return lines;
}
