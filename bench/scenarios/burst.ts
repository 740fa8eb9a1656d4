import { measure, type Measured } from '../support/measure';
import { countOf, type BenchEmulator, type BenchGateway } from '../support/stack';
import { UG, type BenchSettings } from './settings';

export interface BurstResults {
  requests: number;
  budgetPerMinute: number;
  pass: Measured;
  /** Gateway answers. */
  accepted: number;
  rateLimited: number;
  otherRefusals: Record<string, number>;
  /** What MTN (the emulator, limited to the same budget) saw. */
  mtnCreates: number;
  mtnAccepted: number;
  mtn429: number;
  budgetUsedPct: number;
  /** The gateway's outbound-budget counters: live calls that waited for budget, and refusals. */
  queued: number | null;
  refused: number | null;
  retryAfterMissing: number;
}

/**
 * A burst of requests to pay far above MTN's budget: the emulator enforces 600 requests a minute
 * on collection (APIM's 429 beyond), the gateway is configured with the same budget. The gateway
 * should spend the budget, never see MTN's 429, and refuse the rest at once with RATE_LIMITED
 * and a Retry-After.
 */
export async function runBurst(
  settings: BenchSettings,
  emulator: BenchEmulator,
  gateway: BenchGateway,
): Promise<BurstResults> {
  process.stdout.write(
    `burst of ${settings.burstRequests} against ${settings.burstBudgetPerMinute}/min\n`,
  );
  // Scoped to the product paths, not the token path (MTN's APIM counts API calls; the gateway
  // does not count its token call against the budget either).
  const fault = await emulator.admin('POST', '/_emulator/faults', {
    kind: 'rate-limit',
    requestsPerMinute: settings.burstBudgetPerMinute,
    pathPrefix: '/collection/v1_0/',
  });
  try {
    const pass = await measure('burst: gateway', gateway, emulator, {
      method: 'POST',
      paths: ['/v1/collections'],
      headers: gateway.headers,
      body: { kind: 'collection', prefix: 'BURST', ...UG, msisdnBase: UG.msisdnBase + 800_000 },
      connections: 100,
      amount: settings.burstRequests,
      timeoutS: 30,
    });
    const codes = pass.load.errorCodes;
    const { RATE_LIMITED: rateLimited = 0, ...otherRefusals } = codes;
    const mtnAccepted = countOf(pass.emulator, 'collection create', 202);
    const rl = pass.server.counters?.rateLimit ?? null;
    const result: BurstResults = {
      requests: settings.burstRequests,
      budgetPerMinute: settings.burstBudgetPerMinute,
      pass,
      accepted: pass.load.statusCodes['202'] ?? 0,
      rateLimited,
      otherRefusals,
      mtnCreates: countOf(pass.emulator, 'collection create'),
      mtnAccepted,
      mtn429:
        countOf(pass.emulator, 'collection create', 429) +
        countOf(pass.emulator, 'collection status', 429),
      budgetUsedPct: Math.round((mtnAccepted / settings.burstBudgetPerMinute) * 1000) / 10,
      queued: rl ? rl.waits : null,
      refused: rl ? rl.liveRefusals : null,
      retryAfterMissing: pass.load.retryAfterMissing,
    };
    process.stdout.write(
      `  accepted ${result.accepted}, RATE_LIMITED ${rateLimited}, MTN creates ${result.mtnCreates} (429: ${result.mtn429}), budget used ${result.budgetUsedPct}%, queued ${result.queued}, refused ${result.refused}\n`,
    );
    return result;
  } finally {
    await emulator.admin('DELETE', `/_emulator/faults/${(fault as { id: string }).id}`);
  }
}
