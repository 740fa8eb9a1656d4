import type { LoadJob, LoadSummary } from '../load/worker';
import * as os from 'node:os';
import { cpuShare, cpuSnapshot, type CpuShare } from './cpu';
import { rssSampler, spawnCompiled, type BenchProcess } from './processes';
import type { BenchEmulator, EmulatorCounters } from './stack';

export interface Introspection {
  eventLoop: { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  memory: { rssMb: number; heapUsedMb: number };
  /** CPU time the process used during the pass (user + system), and the pass's wall time. */
  cpu: { cpuMs: number; wallMs: number };
  database: {
    queries: number;
    transactions: number;
    autocommitWrites: number;
    queryMs: number;
    poolWaits: number;
    poolWaitMs: number;
  };
  counters: null | {
    rateLimit: null | {
      waits: number;
      liveRefusals: number;
      backgroundRefusals: number;
      storeErrors: number;
    };
    tokens: null | { refreshes: number; failures: number; invalidations: number };
    breakers: unknown;
    callbacks: null | Record<string, number>;
  };
}

export interface Measured {
  label: string;
  load: LoadSummary;
  /** Highest VmRSS of the server process sampled during the run. */
  peakRssMb: number;
  server: Introspection;
  emulator: EmulatorCounters;
  /** The machine's CPU during the pass: the bench's processes and everyone else's. */
  machine?: CpuShare;
}

/** Runs one autocannon job in a fresh load-generator process. */
export async function runLoad(job: LoadJob, whenDone?: () => void): Promise<LoadSummary> {
  const worker = spawnCompiled('load', 'bench/load/worker.ts');
  try {
    const budgetMs = ((job.durationS ?? 0) + (job.timeoutS ?? 10)) * 1000 + 120_000;
    const summary = await worker.ipc.call<LoadSummary>('run', job, budgetMs);
    // Before the worker exits, so its CPU time still counts as the bench's own.
    whenDone?.();
    return summary;
  } finally {
    if (worker.child.connected) worker.child.disconnect();
    await worker.stop();
  }
}

/**
 * One measured run against a server: resets its event-loop histogram and the emulator's counters,
 * samples its RSS while the load runs, then reads both back.
 */
export async function measure(
  label: string,
  server: { proc: BenchProcess; url: string },
  emulator: BenchEmulator,
  job: Omit<LoadJob, 'url'>,
  profileFile?: string,
): Promise<Measured> {
  if (profileFile) await server.proc.ipc.call('profileStart');
  await server.proc.ipc.call('introspect', { reset: true });
  await emulator.counters(true);
  const sampler = rssSampler(server.proc.pid);
  let load: LoadSummary;
  let peakRssMb = 0;
  const cpuStart = cpuSnapshot();
  let cpuEnd = cpuStart;
  try {
    load = await runLoad({ ...job, url: server.url }, () => (cpuEnd = cpuSnapshot()));
  } finally {
    peakRssMb = sampler.stop();
  }
  const intro = await server.proc.ipc.call<Introspection>('introspect', {});
  if (profileFile) await server.proc.ipc.call('profileStop', { file: profileFile });
  const emu = await emulator.counters(false);
  const machine = cpuShare(cpuStart, cpuEnd);
  if (machine) machine.cores = os.cpus().length;
  const l = load;
  process.stdout.write(
    `  ${label.padEnd(34)} ${String(l.requestsPerSec).padStart(8)} req/s  p50 ${l.latency.p50Ms} ms  p99 ${l.latency.p99Ms} ms  ` +
      `non-2xx ${l.non2xx}  errors ${l.errors + l.timeouts}  rss ${peakRssMb} MB  loop p99 ${intro.eventLoop.p99Ms} ms  ${dbPerRequest(intro, l.completed)}` +
      (machine ? `  machine busy ${machine.machineBusyPct} % (others ${machine.otherPct} %)` : '') +
      '\n',
  );
  return { label, load, peakRssMb, server: intro, emulator: emu, machine };
}

/** Polls `check` until it returns true (bounded; no fixed sleeps beyond the poll interval). */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/** Queries and commits per completed request, and mean pool wait per connection checkout. */
export function dbPerRequest(intro: Introspection, completed: number): string {
  const d = intro.database;
  if (!d || completed === 0) return '';
  const per = (x: number): string => (x / completed).toFixed(1);
  const cpu = intro.cpu
    ? `cpu ${(intro.cpu.cpuMs / completed).toFixed(2)} ms/req (${Math.round((intro.cpu.cpuMs / Math.max(1, intro.cpu.wallMs)) * 100)} % of a core), `
    : '';
  return `${cpu}db/req: ${per(d.queries)} queries, ${per(d.transactions + d.autocommitWrites)} commits, pool wait ${(d.poolWaitMs / Math.max(1, d.poolWaits)).toFixed(1)} ms`;
}
