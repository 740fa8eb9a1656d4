import type { ChildProcess } from 'node:child_process';

/**
 * A tiny request/response protocol over Node's IPC channel, so the bench orchestrator can ask
 * its child processes (gateway, baseline, emulator, load generator) for figures without adding
 * any HTTP route to them.
 */
interface IpcRequest {
  bench: 'req';
  id: number;
  method: string;
  arg?: unknown;
}
interface IpcResponse {
  bench: 'res';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler types its own argument
export type IpcHandlers = Record<string, (arg: any) => unknown>;

const handlers: IpcHandlers = {};
let listening = false;

/** Child side: answers requests for the named methods. Several modules may register methods. */
export function serveIpc(more: IpcHandlers, options: { keepAlive?: boolean } = {}): void {
  Object.assign(handlers, more);
  if (listening || typeof process.send !== 'function') return;
  listening = true;
  process.on('message', (message: unknown) => {
    const req = message as Partial<IpcRequest> | null;
    if (!req || req.bench !== 'req' || typeof req.id !== 'number' || typeof req.method !== 'string')
      return;
    const reply = (res: Omit<IpcResponse, 'bench' | 'id'>): void => {
      process.send?.({ bench: 'res', id: req.id, ...res });
    };
    const handler = handlers[req.method];
    if (!handler) {
      reply({ ok: false, error: `unknown method ${req.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(req.arg))
      .then(
        (value) => reply({ ok: true, value }),
        (err: unknown) =>
          reply({
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          }),
      );
  });
  // The channel must not keep a server alive on its own (a worker waiting for its job asks to).
  if (!options.keepAlive) process.channel?.unref();
}

/** Parent side. */
export class IpcClient {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(private readonly child: ChildProcess) {
    child.on('message', (message: unknown) => {
      const res = message as Partial<IpcResponse> | null;
      if (!res || res.bench !== 'res' || typeof res.id !== 'number') return;
      const waiter = this.pending.get(res.id);
      if (!waiter) return;
      this.pending.delete(res.id);
      clearTimeout(waiter.timer);
      if (res.ok) waiter.resolve(res.value);
      else waiter.reject(new Error(res.error ?? 'IPC call failed'));
    });
    child.on('exit', () => {
      for (const [id, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`child exited while IPC call ${id} was pending`));
      }
      this.pending.clear();
    });
  }

  call<T = unknown>(method: string, arg?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`IPC call ${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ bench: 'req', id, method, arg } satisfies IpcRequest);
    });
  }
}
