/**
 * The resilience suites run in two sizes: a short form in every `npm test` (small counts, a few
 * seconds each) and the full form with `npm run test:resilience` (RESILIENCE_SCALE=full). The
 * chaos is seeded (RESILIENCE_SEED, default fixed), so a failure can be replayed exactly; the
 * assertions are invariants, true whatever the chaos did.
 */
import { seededRandom } from '../../../src/emulator/prng';

export const FULL = process.env.RESILIENCE_SCALE === 'full';
export const SEED = Number(process.env.RESILIENCE_SEED ?? 20_261_126);

export function scaled(short: number, full: number): number {
  return FULL ? full : short;
}

/** Seeded PRNG (mulberry32, the emulator's own): the same seed gives the same chaos. */
export const prng = seededRandom;

/** Polls `check` until it yields a value (bounded); never a fixed sleep standing in for a condition. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
  throw new Error(`${what}: not reached within ${timeoutMs} ms${detail}`);
}
