import { AsyncLocalStorage } from 'node:async_hooks';
import { BoundedQueue } from './bounded-queue';

/** Every promise reaction queued so far has run (a macrotask comes after all microtasks). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A worker whose items finish only when the test says so, and which records what it saw. */
function gatedWorker<T>() {
  const started: T[] = [];
  const gates = new Map<T, () => void>();
  let running = 0;
  let peak = 0;
  const worker = (item: T): Promise<void> => {
    started.push(item);
    running += 1;
    peak = Math.max(peak, running);
    return new Promise<void>((resolve) => gates.set(item, resolve)).finally(() => {
      running -= 1;
    });
  };
  /** Lets `item` finish and waits until the queue has reacted to it. */
  const finish = async (item: T): Promise<void> => {
    const gate = gates.get(item);
    if (!gate) throw new Error(`${String(item)} has not started`);
    gate();
    await settle();
  };
  return { worker, started, finish, peak: () => peak };
}

describe('BoundedQueue', () => {
  it('works on at most `concurrency` items at once, first in first out', async () => {
    const w = gatedWorker<number>();
    const queue = new BoundedQueue({ concurrency: 2, capacity: 10 }, w.worker);
    for (let i = 1; i <= 6; i++) expect(queue.offer(i)).toBe(true);
    expect(w.started).toEqual([1, 2]);
    expect([queue.running, queue.waiting]).toEqual([2, 4]);

    await w.finish(2);
    expect(w.started).toEqual([1, 2, 3]);
    await w.finish(1);
    await w.finish(3);
    expect(w.started).toEqual([1, 2, 3, 4, 5]);
    await w.finish(4);
    await w.finish(5);
    await w.finish(6);
    expect(w.started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w.peak()).toBe(2);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses an item when the wait list is full, and takes one again once there is room', async () => {
    const w = gatedWorker<string>();
    const queue = new BoundedQueue({ concurrency: 1, capacity: 2 }, w.worker);
    expect(['a', 'b', 'c', 'd', 'e'].map((x) => queue.offer(x))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect([queue.running, queue.waiting]).toEqual([1, 2]);
    await w.finish('a');
    expect(queue.offer('f')).toBe(true);
    expect(queue.offer('g')).toBe(false);
    await w.finish('b');
    await w.finish('c');
    await w.finish('f');
    expect(w.started).toEqual(['a', 'b', 'c', 'f']);
  });

  it('with capacity 0, takes only what it can start at once', () => {
    const w = gatedWorker<number>();
    const queue = new BoundedQueue({ concurrency: 3, capacity: 0 }, w.worker);
    expect([1, 2, 3, 4].map((x) => queue.offer(x))).toEqual([true, true, true, false]);
    expect(queue.waiting).toBe(0);
  });

  it("hands a worker's failure to onError and goes on with the next item", async () => {
    const failures: Array<[string, number]> = [];
    const done: number[] = [];
    const queue = new BoundedQueue(
      { concurrency: 1, capacity: 5 },
      (n: number) =>
        n === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(void done.push(n)),
      (error, n) => failures.push([(error as Error).message, n]),
    );
    [1, 2, 3].forEach((n) => queue.offer(n));
    await expect(queue.onIdle()).resolves.toBe(true);
    expect(done).toEqual([1, 3]);
    expect(failures).toEqual([['boom', 2]]);
  });

  it('survives an error handler that throws', async () => {
    const done: number[] = [];
    const queue = new BoundedQueue(
      { concurrency: 1, capacity: 5 },
      (n: number) =>
        n === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(void done.push(n)),
      () => {
        throw new Error('handler broke');
      },
    );
    [1, 2].forEach((n) => queue.offer(n));
    await expect(queue.onIdle()).resolves.toBe(true);
    expect(done).toEqual([2]);
  });

  it('tells when it is idle, or that it is not within a bound', async () => {
    const w = gatedWorker<number>();
    const queue = new BoundedQueue({ concurrency: 1, capacity: 5 }, w.worker);
    await expect(queue.onIdle(0)).resolves.toBe(true);
    queue.offer(1);
    queue.offer(2);
    // Item 1 never finishes within the bound: not idle.
    await expect(queue.onIdle(5)).resolves.toBe(false);
    const idle = queue.onIdle();
    await w.finish(1);
    await w.finish(2);
    await expect(idle).resolves.toBe(true);
  });

  it('gives back the waiting items, leaving those being worked on to finish', async () => {
    const w = gatedWorker<number>();
    const queue = new BoundedQueue({ concurrency: 2, capacity: 5 }, w.worker);
    [1, 2, 3, 4, 5].forEach((n) => queue.offer(n));
    expect(queue.takeWaiting()).toEqual([3, 4, 5]);
    expect([queue.running, queue.waiting]).toEqual([2, 0]);
    const idle = queue.onIdle();
    await w.finish(1);
    await w.finish(2);
    await expect(idle).resolves.toBe(true);
    expect(w.started).toEqual([1, 2]);
  });

  it('works on each item in the async context it was offered in', async () => {
    const als = new AsyncLocalStorage<string>();
    const seen: Array<[number, string | undefined]> = [];
    const gates: Array<() => void> = [];
    const queue = new BoundedQueue({ concurrency: 1, capacity: 5 }, async (n: number) => {
      seen.push([n, als.getStore()]);
      await new Promise<void>((resolve) => gates.push(resolve));
      seen.push([n, als.getStore()]);
    });
    als.run('request-1', () => queue.offer(1));
    als.run('request-2', () => queue.offer(2));
    queue.offer(3);
    // Items 2 and 3 start when the one before them finishes, inside that one's context.
    for (let i = 0; i < 3; i++) {
      await settle();
      gates[i]!();
    }
    await queue.onIdle();
    expect(seen).toEqual([
      [1, 'request-1'],
      [1, 'request-1'],
      [2, 'request-2'],
      [2, 'request-2'],
      [3, undefined],
      [3, undefined],
    ]);
  });

  it('refuses settings that would block or lose everything', () => {
    const work = () => Promise.resolve();
    expect(() => new BoundedQueue({ concurrency: 0, capacity: 1 }, work)).toThrow(/concurrency/);
    expect(() => new BoundedQueue({ concurrency: 1.5, capacity: 1 }, work)).toThrow(/concurrency/);
    expect(() => new BoundedQueue({ concurrency: 1, capacity: -1 }, work)).toThrow(/capacity/);
  });
});
