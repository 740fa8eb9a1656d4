import * as fs from 'node:fs';

/**
 * Where the machine's CPU went during a pass: all of it (/proc/stat), and the part used by this
 * bench's own process tree (servers, PostgreSQL, emulator, load generator). The rest was other
 * tenants of the machine, which is what makes a run on a shared box slower than it should be.
 */
export interface CpuSnapshot {
  at: number;
  busy: number;
  total: number;
  /** utime + stime (clock ticks) of each process of the bench's tree. */
  ours: Map<number, number>;
}

export interface CpuShare {
  cores: number;
  /** Busy share of the whole machine, 0–100 (% of all cores). */
  machineBusyPct: number;
  /** The bench's own processes, same unit. */
  benchPct: number;
  /** Everything else on the machine. */
  otherPct: number;
}

function readStat(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** utime + stime (clock ticks) of every descendant of `root`, and of `root` itself, by pid. */
function treeTicks(root: number): Map<number, number> {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(rest[1]));
      ticks.set(Number(entry), Number(rest[11]) + Number(rest[12]));
    } catch {
      // exited meanwhile
    }
  }
  const ours = new Map<number, number>();
  for (const [pid, t] of ticks) {
    let p: number | undefined = pid;
    for (let depth = 0; p !== undefined && p > 1 && depth < 20; depth++) {
      if (p === root) {
        ours.set(pid, t);
        break;
      }
      p = parent.get(p);
    }
  }
  return ours;
}

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const s = readStat();
    return { at: Date.now(), busy: s.busy, total: s.total, ours: treeTicks(process.pid) };
  } catch {
    return undefined;
  }
}

export function cpuShare(
  from: CpuSnapshot | undefined,
  to: CpuSnapshot | undefined,
): CpuShare | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  const total = to.total - from.total;
  const machine = ((to.busy - from.busy) / total) * 100;
  // Per process, so one that exited during the pass (a PostgreSQL backend) takes nothing away;
  // its own use during the pass is lost, which errs towards "others".
  let oursTicks = 0;
  for (const [pid, t] of to.ours) oursTicks += Math.max(0, t - (from.ours.get(pid) ?? 0));
  const bench = Math.min(machine, (oursTicks / total) * 100);
  const r = (x: number): number => Math.round(x);
  return {
    cores: 0,
    machineBusyPct: r(machine),
    benchPct: r(bench),
    otherPct: r(Math.max(0, machine - bench)),
  };
}
