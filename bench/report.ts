import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BreakerResults } from './scenarios/breaker';
import type { BurstResults } from './scenarios/burst';
import { auditPasses, type CreateAudit } from './scenarios/create-audit';
import type { ReconciliationResults } from './scenarios/reconciliation';
import type { BenchSettings } from './scenarios/settings';
import type { ThroughputResults } from './scenarios/throughput';
import type { Measured } from './support/measure';

export interface BenchResults {
  meta: {
    startedAt: string;
    quick: boolean;
    node: string;
    cpus: number;
    cpuModel: string;
    loadAverageAtStart: number[];
    commit: string;
    settings: BenchSettings;
    durationS: number;
  };
  throughput?: ThroughputResults;
  breaker?: BreakerResults;
  burst?: BurstResults;
  reconciliation?: ReconciliationResults;
  /** Per phase: did every stored transaction get exactly the MTN create calls it should? */
  createAudit?: Record<string, CreateAudit>;
  /** Token requests per product by each gateway process. */
  tokenCalls?: Record<string, Record<string, number>>;
  /** VmHWM (peak RSS over the process's life), MB. */
  rss?: Record<string, number | undefined>;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  verdict: 'PASS' | 'MISS' | 'n/a';
}

export function evaluateTargets(r: BenchResults): Target[] {
  const targets: Target[] = [];
  const t = r.throughput;
  const verdict = (ok: boolean | undefined): Target['verdict'] =>
    ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS';

  const ratio = t
    ? t.create.gateway.load.requestsPerSec / Math.max(1, t.create.baseline.load.requestsPerSec)
    : undefined;
  targets.push({
    name: 'throughput vs baseline (create)',
    goal: '≥ 60 % of the baseline',
    measured:
      ratio === undefined
        ? '–'
        : `${pct(ratio)} (${t!.create.gateway.load.requestsPerSec} vs ${t!.create.baseline.load.requestsPerSec} req/s)`,
    verdict: verdict(ratio === undefined ? undefined : ratio >= 0.6),
  });

  const half = t?.createHalfRate.gateway.load;
  targets.push({
    name: 'p99 at half of peak (create)',
    goal: '≤ 25 ms',
    measured: half ? `${half.latency.p99Ms} ms at ${half.requestsPerSec} req/s` : '–',
    verdict: verdict(half ? half.latency.p99Ms <= 25 : undefined),
  });

  const audits = Object.entries(r.createAudit ?? {});
  targets.push({
    name: 'MTN create calls per initiation',
    goal: 'exactly 1',
    measured:
      audits.length > 0
        ? audits
            .map(
              ([phase, a]) =>
                `${phase}: ${a.sentOnce} of ${a.sent} sent transactions created exactly once (${a.sentMoreThanOnce} more than once, ${a.sentNever} never); ` +
                `${a.notSent} refused before sending, ${a.notSentButReceived} of them reached MTN; ${a.unknownAtGateway} unknown at the gateway`,
            )
            .join('; ')
        : '–',
    verdict: verdict(audits.length > 0 ? audits.every(([, a]) => auditPasses(a)) : undefined),
  });

  const tokens = Object.entries(r.tokenCalls ?? {}).flatMap(([phase, byProduct]) =>
    Object.entries(byProduct).map(([product, n]) => ({ phase, product, n })),
  );
  targets.push({
    name: 'token calls per product per token lifetime (1 h)',
    goal: '≤ 1',
    measured:
      tokens.length > 0 ? tokens.map((x) => `${x.phase}/${x.product}: ${x.n}`).join(', ') : '–',
    verdict: verdict(tokens.length > 0 ? tokens.every((x) => x.n <= 1) : undefined),
  });

  const b = r.breaker;
  targets.push({
    name: 'breaker-open refusals p99 (at half their peak)',
    goal: '≤ 5 ms',
    measured: b
      ? `${b.halfRate.load.latency.p99Ms} ms at ${b.halfRate.load.requestsPerSec} req/s (peak pass: p99 ${b.peak.load.latency.p99Ms} ms at ${b.peak.load.requestsPerSec} req/s); ${b.mtnCallsWhileOpen} MTN calls while open`
      : '–',
    verdict: verdict(b ? b.opened && b.halfRate.load.latency.p99Ms <= 5 : undefined),
  });

  const rssValues = [
    ...(t
      ? Object.values(t).flatMap((pair: { gateway: Measured }) => [pair.gateway.peakRssMb])
      : []),
    ...(b ? [b.peak.peakRssMb, b.halfRate.peakRssMb] : []),
    ...(r.burst ? [r.burst.pass.peakRssMb] : []),
    ...(r.reconciliation?.peakRssMb ? [r.reconciliation.peakRssMb] : []),
    ...(r.rss?.gateway ? [r.rss.gateway] : []),
  ];
  const peakRss = rssValues.length > 0 ? Math.max(...rssValues) : undefined;
  targets.push({
    name: 'gateway peak RSS',
    goal: '≤ 256 MB',
    measured: peakRss === undefined ? '–' : `${peakRss} MB`,
    verdict: verdict(peakRss === undefined ? undefined : peakRss <= 256),
  });
  return targets;
}

function failures(counts: Record<string, number> | undefined): string {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return '';
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return ` The gateway's confirmations that failed after answering 200 (left PENDING for polling and reconciliation): ${total} (${entries.map(([e, n]) => `${n} × "${e}"`).join(', ')}).`;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}

function row(scenario: string, m: Measured, ratio?: number): string {
  const l = m.load;
  const errs = l.errors + l.timeouts;
  return `| ${scenario} | ${Math.round(l.requestsPerSec)} | ${l.latency.p50Ms} | ${l.latency.p90Ms} | ${l.latency.p99Ms} | ${errs} / ${l.non2xx} | ${m.peakRssMb} | ${m.server.eventLoop.p99Ms} | ${ratio === undefined ? '' : pct(ratio)} |`;
}

export function renderMarkdown(r: BenchResults, targets: Target[]): string {
  const lines: string[] = [];
  const m = r.meta;
  lines.push('## Performance', '');
  lines.push(
    `Reproduce with \`npm run bench\` (about ${Math.max(1, Math.round(m.durationS / 60))} minutes; \`npm run bench -- --quick\` for a short smoke run). ` +
      `Measured ${m.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, Node.js ${m.node}, commit ${m.commit}` +
      `${m.quick ? ', QUICK run (short passes: indicative only)' : ''}; load average at start ${m.loadAverageAtStart.join(' / ')}. ` +
      'Gateway, baseline (bare `node:http` + `pg`), emulator (zero latency) and load generator (autocannon flat out, an open model at fixed rates) each run in their own process on one embedded PostgreSQL with fsync on. ' +
      'See [bench/README.md](bench/README.md) for how to read it.',
    '',
  );
  const t = r.throughput;
  if (t) {
    lines.push(
      `| scenario | req/s | p50 ms | p90 ms | p99 ms | errors / non-2xx | peak RSS MB | event-loop p99 ms | gateway / baseline |`,
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const pairs: Array<[string, { gateway: Measured; baseline: Measured }]> = [
      ['create (request to pay), peak', t.create],
      ['create, fixed rate at 50 % of peak', t.createHalfRate],
      ['create, one connection (no queueing)', t.createAlone],
      ['read by id', t.read],
      ['list (page of 50)', t.list],
      ['callback ingestion (answer)', t.callback],
    ];
    for (const [name, pair] of pairs) {
      const ratio =
        pair.gateway.load.requestsPerSec / Math.max(1, pair.baseline.load.requestsPerSec);
      const comparable = !name.includes('fixed rate') && !name.includes('one connection');
      lines.push(row(`${name}: gateway`, pair.gateway, comparable ? ratio : undefined));
      lines.push(row(`${name}: baseline`, pair.baseline));
    }
    if (r.breaker) {
      lines.push(row('refusals, breaker open: gateway, peak', r.breaker.peak));
      lines.push(row('refusals, breaker open: gateway, 50 % of peak', r.breaker.halfRate));
    }
    lines.push('');
    const cg = t.callback.gateway;
    const cb = t.callback.baseline;
    lines.push(
      `Callbacks are answered at once and confirmed with MTN afterwards: the gateway made ${cg.finalized} of ${cg.distinct} PENDING transactions final ` +
        `in ${cg.drainS.toFixed(1)} s (${cg.processedPerSec}/s, one status call each); the baseline ${cb.finalized} of ${cb.distinct} in ${cb.drainS.toFixed(1)} s (${cb.processedPerSec}/s).` +
        failures(cg.handlingFailures),
      '',
    );
  }
  const u = r.burst;
  if (u) {
    const other =
      Object.entries(u.otherRefusals)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    lines.push(
      `**Burst**: ${u.requests.toLocaleString('en')} requests to pay at once (100 connections) against an MTN budget of ${u.budgetPerMinute}/min ` +
        `(emulator rate limit and \`MTN_MOMO_RATE_LIMIT_PER_MINUTE\` alike): ${u.accepted} accepted (202), ${u.rateLimited} refused with RATE_LIMITED ` +
        `(Retry-After missing on ${u.retryAfterMissing}), other refusals: ${other}; MTN saw ${u.mtnCreates} creates and answered 429 ${u.mtn429} times; ` +
        `budget used ${u.budgetUsedPct} %; the gateway queued (waited for budget) ${u.queued ?? '–'} calls and refused ${u.refused ?? '–'}; ` +
        `p99 ${u.pass.load.latency.p99Ms} ms, done in ${u.pass.load.durationS.toFixed(1)} s.`,
      '',
    );
  }
  const rc = r.reconciliation;
  if (rc) {
    lines.push(
      rc.skipped
        ? `**Reconciliation**: skipped (${rc.skipped}).`
        : `**Reconciliation**: ${rc.processed?.toLocaleString('en')} of ${rc.records?.toLocaleString('en')} stored records in ${rc.elapsedS} s: ` +
            `**${rc.recordsPerSec} records/s**, ${rc.mtnCallsPerRecord} MTN calls per record, ${rc.repaired}/${rc.expectedRepairs} stale PENDING repaired, ` +
            `run ${rc.runStatus}${rc.timedOut ? ` (the bench stopped waiting after ${rc.elapsedS} s; all ${rc.records?.toLocaleString('en')} would take about ${Math.round((rc.records ?? 0) / Math.max(0.1, rc.recordsPerSec ?? 0.1) / 60)} min at that rate)` : ''}, ` +
            `peak RSS ${rc.peakRssMb} MB, event-loop p99 ${rc.eventLoop?.p99Ms} ms.`,
      '',
    );
  }
  lines.push('| target | goal | measured | verdict |', '|---|---|---|---|');
  for (const x of targets)
    lines.push(`| ${x.name} | ${x.goal} | ${x.measured} | **${x.verdict}** |`);
  lines.push('');
  return lines.join('\n');
}

export function writeReport(r: BenchResults, dir: string): { markdown: string; files: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  const targets = evaluateTargets(r);
  const markdown = renderMarkdown(r, targets);
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  fs.writeFileSync(json, `${JSON.stringify({ ...r, targets }, null, 2)}\n`);
  fs.writeFileSync(md, markdown);
  return { markdown, files: [json, md] };
}
