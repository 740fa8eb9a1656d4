/** `[##########----------]  50/100  50%`: one line, redrawn in place on a terminal. */
export function renderProgressBar(processed: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, processed / total) : processed > 0 ? 1 : 0;
  const filled = Math.round(ratio * width);
  const percent = Math.floor(ratio * 100);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${processed}/${total} ${String(percent).padStart(3)}%`;
}
