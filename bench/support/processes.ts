import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { IpcClient } from './ipc';

export const ROOT = path.resolve(__dirname, '..', '..');
/**
 * Where the compiled tree is (see build.ts): every process the bench starts runs plain
 * JavaScript from there. Set once by the orchestrator with `useBuild`.
 */
let buildDir: string | undefined;

export function useBuild(dir: string): void {
  buildDir = dir;
}

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  ipc: IpcClient;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Preload the bench introspection (event-loop delay, counters over IPC). */
  introspect?: boolean;
  /** Where stdout and stderr go; unset: discarded (stderr's last lines kept for errors). */
  logFile?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/** Starts an entry point of the compiled tree (`script` names its .ts source), with an IPC channel. */
export function spawnCompiled(
  name: string,
  script: string,
  options: SpawnOptions = {},
): BenchProcess {
  if (!buildDir) throw new Error('useBuild(dir) must be called before processes are started');
  const js = (rel: string): string => path.join(buildDir!, rel.replace(/\.ts$/, '.js'));
  const args = [
    ...(options.nodeFlags ?? []),
    ...(options.introspect ? ['-r', js('bench/support/introspection.ts')] : []),
    js(script),
  ];
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...(options.env ?? {}) },
    stdio: ['ignore', out, options.logFile ? out : 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  child.stderr?.on('data', (c: Buffer) => {
    tail.push(c.toString());
    if (tail.length > 20) tail.shift();
  });
  if (typeof out === 'number') fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const proc: BenchProcess = {
    name,
    child,
    ipc: new IpcClient(child),
    pid: child.pid ?? -1,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  void exited.then((code) => {
    if (code !== 0 && code !== null && tail.length > 0)
      process.stderr.write(`[${name}] exited ${code}: ${tail.join('').slice(-2000)}\n`);
  });
  return proc;
}

/** Polls `url` until it answers 200 (bounded); fails early if the process exits. */
export async function waitForHttp(
  url: string,
  proc: BenchProcess | undefined,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc?.name} exited before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Resident memory of a process from /proc (Linux): current and peak (VmHWM), in MB. */
export function readRss(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(kb('VmRSS') / 1024), hwmMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen. */
export function rssSampler(pid: number, everyMs = 200): { stop(): number } {
  let peak = readRss(pid)?.rssMb ?? 0;
  const timer = setInterval(() => {
    const r = readRss(pid);
    if (r && r.rssMb > peak) peak = r.rssMb;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const r = readRss(pid);
      if (r && r.rssMb > peak) peak = r.rssMb;
      return peak;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
