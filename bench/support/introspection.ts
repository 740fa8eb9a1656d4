/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- it patches untyped library prototypes */
/**
 * Bench-only preload (`node -r <build>/bench/support/introspection.js …`), loaded into the gateway and
 * the baseline by the benchmark and never by production code: nothing under src/ knows it exists.
 *
 * - Event-loop delay: `monitorEventLoopDelay` runs inside the server process (the only place it
 *   can be measured); the orchestrator resets it at the start of a scenario and reads it at the end.
 * - Gateway counters: it wraps `NestFactory.create` to keep the application, then reads the outbound
 *   budget's waits/refusals, the token refreshes, breaker states and callback outcomes through
 *   the services' own `getCounters()`/`stats()`. Any of these missing (renamed) is reported as null.
 *
 * Everything travels over the IPC channel the bench opened when it spawned the process.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { serveIpc } from './ipc';

const RESOLUTION_MS = 10;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

/** The compiled tree's root (this file is <root>/bench/support/introspection.js there). */
const ROOT = path.resolve(__dirname, '..', '..');
let nestApp: { get(token: unknown, options?: { strict: boolean }): unknown } | undefined;

if (process.env.BENCH_NEST === '1') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- patched before main.ts imports it
  const core = require('@nestjs/core') as {
    NestFactory: { create: (...args: unknown[]) => Promise<unknown> };
  };
  const original = core.NestFactory.create.bind(core.NestFactory);
  core.NestFactory.create = async (...args: unknown[]) => {
    const app = await original(...args);
    nestApp = app as typeof nestApp;
    return app;
  };
}

function service(file: string, name: string): any {
  if (!nestApp) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved lazily, by path
    const cls = (require(path.join(ROOT, file)) as Record<string, unknown>)[name];
    return cls ? nestApp.get(cls, { strict: false }) : undefined;
  } catch {
    return undefined;
  }
}

function call(target: any, method: string): unknown {
  try {
    return typeof target?.[method] === 'function' ? target[method]() : null;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL work per request: queries, transactions (BEGIN) and writes outside one (each its own
 * commit), time spent in queries and waiting for a pool connection. Wraps `pg`'s prototypes, so
 * it sees TypeORM's, the rate limiters' and the baseline's queries alike.
 */
const db = {
  queries: 0,
  transactions: 0,
  autocommitWrites: 0,
  queryMs: 0,
  poolWaits: 0,
  poolWaitMs: 0,
};
const IN_TX = Symbol('benchInTx');
/** BENCH_TRACE_SQL=n: write the first n queries with their durations to stderr (diagnosis only). */
let traceLeft = Number(process.env.BENCH_TRACE_SQL ?? 0);
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- patched before the app loads pg
  const pg = require('pg') as { Client: { prototype: any }; Pool: { prototype: any } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: any, config: any, ...rest: any[]) {
    const text: string =
      typeof config === 'string' ? config : typeof config?.text === 'string' ? config.text : '';
    db.queries++;
    if (/^\s*(BEGIN|START TRANSACTION)/i.test(text)) {
      this[IN_TX] = true;
      db.transactions++;
    } else if (/^\s*(COMMIT|ROLLBACK)/i.test(text)) {
      this[IN_TX] = false;
    } else if (!this[IN_TX] && text !== '' && !/^\s*(SELECT|SHOW|SET)\b/i.test(text)) {
      db.autocommitWrites++;
    }
    const started = performance.now();
    const result = query.call(this, config, ...rest);
    if (result && typeof result.then === 'function') {
      const done = (): void => {
        const took = performance.now() - started;
        db.queryMs += took;
        if (traceLeft > 0) {
          traceLeft--;
          process.stderr.write(
            `[bench sql] ${took.toFixed(1)} ms ${text.replace(/\s+/g, ' ').slice(0, 300)}\n`,
          );
        }
      };
      void result.then(done, done);
    }
    return result;
  };
  const connect = pg.Pool.prototype.connect;
  pg.Pool.prototype.connect = function (this: any, cb?: (...a: unknown[]) => void) {
    const started = performance.now();
    db.poolWaits++;
    if (typeof cb === 'function') {
      return connect.call(this, (...a: unknown[]) => {
        db.poolWaitMs += performance.now() - started;
        cb(...a);
      });
    }
    const p = connect.call(this);
    void p.then(
      () => (db.poolWaitMs += performance.now() - started),
      () => undefined,
    );
    return p;
  };
} catch {
  // no pg in this process
}

/**
 * The histogram records the whole interval between its timer's ticks (an idle loop reads
 * 10.1 ms at a 10 ms resolution): the delay is what exceeds the resolution.
 */
const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

let cpuSince = process.cpuUsage();
let wallSince = performance.now();
let session: Session | undefined;

function post(method: string, params?: object): Promise<any> {
  return new Promise((resolve, reject) =>
    session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

serveIpc({
  /** CPU profile of exactly one measured pass (`npm run bench -- --cpu-prof`). */
  async profileStart() {
    session = new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    return true;
  },
  async profileStop(arg: { file: string }) {
    if (!session) return false;
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    session = undefined;
    fs.mkdirSync(path.dirname(arg.file), { recursive: true });
    fs.writeFileSync(arg.file, JSON.stringify(profile));
    return true;
  },
  /** Event-loop delay since the last reset, memory and (gateway) service counters. */
  introspect(arg: { reset?: boolean } = {}) {
    const loop = {
      meanMs: ms(histogram.mean),
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
    };
    const database = {
      ...db,
      queryMs: Math.round(db.queryMs),
      poolWaitMs: Math.round(db.poolWaitMs),
    };
    const used = process.cpuUsage(cpuSince);
    const cpu = {
      cpuMs: Math.round((used.user + used.system) / 1000),
      wallMs: Math.round(performance.now() - wallSince),
    };
    if (arg.reset) {
      cpuSince = process.cpuUsage();
      wallSince = performance.now();
      histogram.reset();
      Object.assign(db, {
        queries: 0,
        transactions: 0,
        autocommitWrites: 0,
        queryMs: 0,
        poolWaits: 0,
        poolWaitMs: 0,
      });
    }
    const mem = process.memoryUsage();
    return {
      eventLoop: loop,
      database,
      cpu,
      // `domain` slows every EventEmitter once loaded; worth knowing if anything pulls it in.
      domainLoaded: (process as unknown as { moduleLoadList: string[] }).moduleLoadList.some((m) =>
        m.endsWith(' domain'),
      ),
      memory: {
        rssMb: Math.round(mem.rss / 1048576),
        heapUsedMb: Math.round(mem.heapUsed / 1048576),
      },
      counters: nestApp
        ? {
            rateLimit: call(
              service('src/momo/rate-limit/outbound-rate-limiter.service', 'OutboundRateLimiter'),
              'getCounters',
            ),
            tokens: call(service('src/momo/token/token.service', 'TokenService'), 'getCounters'),
            breakers: call(
              service('src/momo/breaker/breaker.service', 'BreakerService'),
              'getStates',
            ),
            callbacks: call(service('src/payments/webhook.service', 'WebhookService'), 'stats'),
          }
        : null,
    };
  },
});
