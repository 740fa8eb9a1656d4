import { RepeatingTask } from './repeating-task';

describe('RepeatingTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a round per interval, never two at once, and goes on after a failure', async () => {
    const errors: unknown[] = [];
    let active = 0;
    let maxActive = 0;
    let rounds = 0;
    const task = new RepeatingTask({
      intervalMs: 100,
      run: async () => {
        rounds += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 250));
        active -= 1;
        if (rounds === 1) throw new Error('first round fails');
      },
      logger: { error: (fields) => errors.push(fields.err) },
      failureMessage: 'round failed',
    });
    task.start();
    await jest.advanceTimersByTimeAsync(100); // round 1 starts
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(250); // round 1 ends (fails), round 2 scheduled
    expect(errors).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(100); // round 2 starts
    expect(rounds).toBe(2);
    expect(maxActive).toBe(1);
    const stopped = task.stop();
    await jest.advanceTimersByTimeAsync(250);
    await stopped;
  });

  it('stop cancels the next round and waits for the running one', async () => {
    let finished = false;
    let rounds = 0;
    const task = new RepeatingTask({
      intervalMs: 10,
      run: async () => {
        rounds += 1;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      },
      logger: { error: () => undefined },
      failureMessage: 'round failed',
    });
    task.start();
    await jest.advanceTimersByTimeAsync(10);
    const stopped = task.stop();
    expect(task.stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(50);
    await stopped;
    expect(finished).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(rounds).toBe(1);
  });

  it('can run its first round sooner than the interval', async () => {
    let rounds = 0;
    const task = new RepeatingTask({
      intervalMs: 1000,
      firstDelayMs: 10,
      run: () => Promise.resolve(void (rounds += 1)),
      logger: { error: () => undefined },
      failureMessage: 'round failed',
    });
    task.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(2);
    await task.stop();
  });
});
