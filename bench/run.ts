/**
 * `npm run bench`: the gateway against a bare node:http + pg baseline, each in its own process,
 * on one embedded PostgreSQL (fsync on), with the MoMo emulator (zero latency) and the load
 * generator (autocannon) in processes of their own. Writes bench/results/latest.{json,md}.
 *
 *   npm run bench                   full run (about 8–9 minutes)
 *   npm run bench -- --quick        every scenario, short and small (development)
 *   npm run bench -- --cpu-prof     CPU profiles of the gateway's create/read/list passes (kept in the work folder)
 *   npm run bench -- --only=create,burst   a subset: create, read, list, callback, breaker, burst, reconciliation
 *   npm run bench -- --keep         keep the work folder (server logs) instead of deleting it
 *   npm run bench -- --gateway-node-flags="--max-old-space-size=160"   node flags for the gateway
 *   npm run bench -- --gateway-env=DATABASE_POOL_SIZE=30   extra gateway environment (experiments)
 *   npm run bench -- --out=/tmp/x   write the results elsewhere than bench/results
 *
 * See bench/README.md for how to read the figures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { writeReport, type BenchResults } from './report';
import { runBreaker } from './scenarios/breaker';
import { runBurst } from './scenarios/burst';
import { auditCreates } from './scenarios/create-audit';
import { runReconciliation } from './scenarios/reconciliation';
import { benchSettings } from './scenarios/settings';
import { runThroughput } from './scenarios/throughput';
import { buildTree } from './support/build';
import { ROOT, useBuild } from './support/processes';
import {
  startBaselineProcess,
  startEmulatorProcess,
  startGatewayProcess,
  startPostgres,
  tempDir,
  type BenchEmulator,
} from './support/stack';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const cpuProf = args.includes('--cpu-prof');
const keep = args.includes('--keep');
/** Extra environment for the gateway processes, e.g. --gateway-env=DATABASE_POOL_SIZE=30,LOG_LEVEL=warn */
const gatewayEnv = Object.fromEntries(
  (
    args
      .find((a) => a.startsWith('--gateway-env='))
      ?.slice('--gateway-env='.length)
      .split(',') ?? []
  )
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
/** Where the results go (experiments should not overwrite the published ones). */
const outDir = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
/** Extra node flags for the gateway processes, e.g. --gateway-node-flags=--max-old-space-size=160 */
const gatewayNodeFlags = args
  .find((a) => a.startsWith('--gateway-node-flags='))
  ?.slice('--gateway-node-flags='.length)
  .split(' ')
  .filter(Boolean);
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wants = (name: string): boolean => !only || only.includes(name);

/** Gateway settings for the throughput phase: production defaults except where noted. */
const THROUGHPUT_ENV = {
  // Callbacks are measured in their own scenario, so creates leave their transactions PENDING
  // (the emulator drops callbacks) and their first poll is an hour away. The poller still runs:
  // callbacks beyond the confirmation queue's capacity are handed to it (polled at once).
  POLL_INTERVAL_MS: '3600000',
  // MTN's real budget (600/min) would cap the peak at 10 creates a second; the burst scenario
  // measures the budget itself.
  MTN_MOMO_RATE_LIMIT_PER_MINUTE: '100000',
  // Keep the breaker open for the whole refusal measurement.
  MTN_MOMO_BREAKER_OPEN_SECONDS: '300',
};

async function main(): Promise<void> {
  const settings = benchSettings(quick);
  const started = Date.now();
  const dir = tempDir();
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  process.stdout.write(`momo-gateway bench${quick ? ' (quick)' : ''}: work folder ${dir}\n`);
  const build = buildTree(path.join(dir, 'build'));
  useBuild(path.join(dir, 'build'));
  process.stdout.write(`compiled ${build.files} files in ${build.ms} ms\n`);
  const pg = await startPostgres(dir);
  let emulator: BenchEmulator | undefined;
  const stops: Array<() => Promise<void>> = [];
  const results: BenchResults = {
    meta: {
      startedAt: new Date(started).toISOString(),
      quick,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
      commit: gitCommit(),
      settings,
      durationS: 0,
    },
  };
  try {
    emulator = await startEmulatorProcess(path.join(logs, 'emulator.log'));
    const emu = emulator;

    if (['create', 'read', 'list', 'callback', 'breaker'].some(wants)) {
      await emu.admin('PATCH', '/_emulator/config', { callbackDropRate: 1 });
      const gateway = await startGatewayProcess({
        name: 'gateway',
        databaseUrl: await pg.createDatabase('bench_gateway', true),
        emulator: emu,
        env: { ...THROUGHPUT_ENV, ...gatewayEnv },
        logFile: path.join(logs, 'gateway.log'),
        nodeFlags: gatewayNodeFlags,
      });
      stops.push(() => gateway.proc.stop());
      const baseline = await startBaselineProcess(
        await pg.createDatabase('bench_baseline', false),
        emu,
      );
      stops.push(() => baseline.proc.stop());
      const profileDir = cpuProf ? path.join(dir, 'profiles') : undefined;
      results.throughput = await runThroughput({
        settings,
        emulator: emu,
        gateway,
        baseline,
        profileDir,
      });
      results.tokenCalls = {
        ...(results.tokenCalls ?? {}),
        throughput: await tokenCalls(emu, gateway.apiUser),
      };
      results.createAudit = {
        ...(results.createAudit ?? {}),
        throughput: await auditCreates(
          emu,
          gateway.databaseUrl,
          await baselineIds(baseline.databaseUrl),
        ),
      };
      if (wants('breaker')) results.breaker = await runBreaker(settings, emu, gateway);
      results.rss = {
        ...(results.rss ?? {}),
        gateway: maxHwm(gateway.proc.pid),
        baseline: maxHwm(baseline.proc.pid),
      };
      await gateway.proc.stop();
      await baseline.proc.stop();
    }

    if (wants('burst')) {
      await emu.proc.ipc.call('reset');
      await emu.admin('PATCH', '/_emulator/config', { callbackDropRate: 1 });
      const gateway = await startGatewayProcess({
        name: 'gateway-burst',
        databaseUrl: await pg.createDatabase('bench_burst', true),
        emulator: emu,
        env: {
          POLL_ENABLED: 'false',
          MTN_MOMO_RATE_LIMIT_PER_MINUTE: String(settings.burstBudgetPerMinute),
        },
        logFile: path.join(logs, 'gateway-burst.log'),
        nodeFlags: gatewayNodeFlags,
      });
      stops.push(() => gateway.proc.stop());
      results.burst = await runBurst(settings, emu, gateway);
      results.tokenCalls = {
        ...(results.tokenCalls ?? {}),
        burst: await tokenCalls(emu, gateway.apiUser),
      };
      results.createAudit = {
        ...(results.createAudit ?? {}),
        burst: await auditCreates(emu, gateway.databaseUrl),
      };
      await gateway.proc.stop();
    }

    if (wants('reconciliation')) {
      await emu.proc.ipc.call('reset');
      results.reconciliation = await runReconciliation(
        settings,
        emu,
        pg,
        path.join(logs, 'gateway-reconciliation.log'),
        gatewayNodeFlags,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await emulator?.proc.stop().catch(() => undefined);
    await pg.stop().catch(() => undefined);
  }
  results.meta.durationS = Math.round((Date.now() - started) / 1000);
  const out = writeReport(results, outDir ?? path.join(ROOT, 'bench', 'results'));
  process.stdout.write(
    `\n${out.markdown}\nwritten: ${out.files.join(', ')} (${results.meta.durationS} s)\n`,
  );
  if (keep || cpuProf) process.stdout.write(`work folder kept: ${dir} (logs in ${logs})\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** Token requests per product made by one gateway (its API user) since the phase began; resets the totals. */
async function tokenCalls(
  emulator: BenchEmulator,
  apiUser: string,
): Promise<Record<string, number>> {
  const totals = await emulator.proc.ipc.call<Record<string, number>>('totals', { reset: true });
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(totals)) {
    const m = /^(\w+) token (.+)$/.exec(key);
    if (m && m[2] === apiUser) out[m[1]!] = n;
  }
  return out;
}

async function baselineIds(url: string): Promise<string[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ id: string }>('SELECT id FROM baseline_tx')).rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

function maxHwm(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return undefined;
  }
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${sha}+uncommitted` : sha;
  } catch {
    return 'unknown';
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
