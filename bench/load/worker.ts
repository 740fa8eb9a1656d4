/**
 * The load generator, in a process of its own (so it never shares an event loop with the
 * servers or the emulator). It receives one job over IPC, runs it, answers a summary and exits.
 * Request bodies are built per request (unique externalIds, distinct customers); paths can cycle
 * through a list (ids to read, callback URLs).
 *
 * Two models. Flat out (no `overallRate`): autocannon, each connection sending its next request
 * as soon as the last is answered (a closed model: the peak). At a fixed rate: an open model of
 * our own, one request every 1/rate seconds whatever the server does, latency counted from the
 * moment the request was due. autocannon's own rate limit is not used for that: it lets each
 * connection send flat out until its quota for the second is spent, then pauses until the next
 * second, so "half of peak" would arrive as peak-load bursts half of each second.
 */
import autocannon from 'autocannon';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveIpc } from '../support/ipc';

export type JobBody =
  | { kind: 'none' }
  | { kind: 'static'; text: string }
  /** A request to pay in Uganda: externalId `${prefix}_${n}`, customer `msisdnBase + n`. */
  | { kind: 'collection'; prefix: string; msisdnBase: number; amount: string; currency: string };

export interface LoadJob {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  /** One path, or a list cycled through in order. */
  paths: string[];
  body: JobBody;
  headers?: Record<string, string>;
  connections: number;
  durationS?: number;
  amount?: number;
  overallRate?: number;
  timeoutS?: number;
}

export interface LoadSummary {
  durationS: number;
  completed: number;
  requestsPerSec: number;
  latency: { meanMs: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** `code` of the error bodies, counted (non-2xx answers only). */
  errorCodes: Record<string, number>;
  /** Retry-After present on 429/503 answers. */
  retryAfterMissing: number;
}

function bodyOf(body: JobBody, i: number): string | undefined {
  if (body.kind === 'static') return body.text;
  if (body.kind === 'collection') {
    return JSON.stringify({
      amount: body.amount,
      currency: body.currency,
      phoneNumber: String(body.msisdnBase + i),
      externalId: `${body.prefix}_${i}`,
    });
  }
  return undefined;
}

/** The `code` of an error body (our error shape), else the status. */
function errorCodeOf(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { code?: unknown };
    if (typeof parsed.code === 'string') return parsed.code;
  } catch {
    // not JSON: keep the status
  }
  return `HTTP_${status}`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * The open model: request k is due at t0 + k/rate and is sent then (or at once, if the loop fell
 * behind); up to `connections` keep-alive sockets carry them, and a request finding them all busy
 * waits, its wait counted in its latency, as a real client's would be.
 */
async function runPaced(job: LoadJob, rate: number): Promise<LoadSummary> {
  const target = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const timeoutMs = (job.timeoutS ?? 10) * 1000;
  const total = Math.max(1, Math.round(rate * (job.durationS ?? 10)));
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let retryAfterMissing = 0;
  let lastDone = 0;

  const send = (i: number, due: number): Promise<void> =>
    new Promise((resolve) => {
      const body = bodyOf(job.body, i);
      const headers: Record<string, string> = { ...(job.headers ?? {}) };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: job.method,
          path: job.paths[i % job.paths.length],
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            lastDone = performance.now();
            latencies.push(lastDone - due);
            const status = res.statusCode ?? 0;
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            if (status >= 300) {
              const code = errorCodeOf(status, Buffer.concat(chunks).toString('utf8'));
              errorCodes[code] = (errorCodes[code] ?? 0) + 1;
              if ((status === 429 || status === 503) && res.headers['retry-after'] === undefined)
                retryAfterMissing++;
            }
            resolve();
          });
        },
      );
      req.setTimeout(timeoutMs, () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const t0 = performance.now() + 20;
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    inFlight.push(send(i, due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  const durationS = Math.max(0.001, ((lastDone || performance.now()) - t0) / 1000);
  const completed = sorted.length;
  const non2xx = Object.entries(statusCodes)
    .filter(([code]) => Number(code) >= 300)
    .reduce((a, [, n]) => a + n, 0);
  return {
    durationS,
    completed,
    requestsPerSec: Math.round((completed / durationS) * 10) / 10,
    latency: {
      meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, completed)),
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? 0),
    },
    errors,
    timeouts,
    non2xx,
    statusCodes,
    errorCodes,
    retryAfterMissing,
  };
}

function run(job: LoadJob): Promise<LoadSummary> {
  if (job.overallRate) return runPaced(job, job.overallRate);
  let n = 0;
  const errorCodes: Record<string, number> = {};
  let retryAfterMissing = 0;
  const headers = {
    ...(job.headers ?? {}),
    ...(job.body.kind === 'none' ? {} : { 'content-type': 'application/json' }),
  };
  const body = job.body;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: job.url,
        connections: job.connections,
        ...(job.amount ? { amount: job.amount } : { duration: job.durationS ?? 10 }),
        timeout: job.timeoutS ?? 10,
        requests: [
          {
            method: job.method,
            headers,
            setupRequest: (req) => {
              const i = n++;
              req.path = job.paths[i % job.paths.length];
              const text = bodyOf(body, i);
              if (text !== undefined) req.body = text;
              return req;
            },
            onResponse: (status, text, _ctx, resHeaders) => {
              if (status < 300) return;
              const code = errorCodeOf(status, text);
              errorCodes[code] = (errorCodes[code] ?? 0) + 1;
              if ((status === 429 || status === 503) && !hasHeader(resHeaders, 'retry-after'))
                retryAfterMissing++;
            },
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        const statusCodes: Record<string, number> = {};
        for (const [code, s] of Object.entries(r.statusCodeStats ?? {}))
          statusCodes[code] = s.count;
        const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
        resolve({
          durationS: r.duration,
          completed,
          requestsPerSec: Math.round((completed / r.duration) * 10) / 10,
          latency: {
            meanMs: r.latency.mean,
            p50Ms: r.latency.p50,
            p90Ms: r.latency.p90,
            p99Ms: r.latency.p99,
            maxMs: r.latency.max,
          },
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          statusCodes,
          errorCodes,
          retryAfterMissing,
        });
      },
    );
  });
}

/** autocannon hands headers over as a flat [name, value, …] list or an object, depending on version. */
function hasHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === name) return true;
    return false;
  }
  return (
    typeof headers === 'object' &&
    headers !== null &&
    Object.keys(headers).some((k) => k.toLowerCase() === name)
  );
}

serveIpc(
  {
    // The parent disconnects once it has the answer; the worker then exits.
    run: (job: LoadJob) => run(job),
  },
  { keepAlive: true },
);
process.once('disconnect', () => process.exit(0));
