/**
 * The load generator, in a process of its own (so it never shares an event loop with the
 * servers or the emulator). It receives one job over IPC, runs autocannon, answers a summary and
 * exits. Request bodies are built per request (unique externalIds, distinct customers); paths can
 * cycle through a list (ids to read, callback URLs).
 */
import autocannon from 'autocannon';
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

function run(job: LoadJob): Promise<LoadSummary> {
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
        ...(job.overallRate ? { overallRate: job.overallRate } : {}),
        timeout: job.timeoutS ?? 10,
        requests: [
          {
            method: job.method,
            headers,
            setupRequest: (req) => {
              const i = n++;
              req.path = job.paths[i % job.paths.length];
              if (body.kind === 'static') req.body = body.text;
              else if (body.kind === 'collection') {
                req.body = JSON.stringify({
                  amount: body.amount,
                  currency: body.currency,
                  phoneNumber: String(body.msisdnBase + i),
                  externalId: `${body.prefix}_${i}`,
                });
              }
              return req;
            },
            onResponse: (status, text, _ctx, resHeaders) => {
              if (status < 300) return;
              let code = `HTTP_${status}`;
              try {
                const parsed = JSON.parse(text) as { code?: unknown };
                if (typeof parsed.code === 'string') code = parsed.code;
              } catch {
                // not JSON: keep the status
              }
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
