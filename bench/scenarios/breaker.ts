import { measure, until, type Measured } from '../support/measure';
import { countOf, type BenchEmulator, type BenchGateway } from '../support/stack';
import { UG, type BenchSettings } from './settings';

export interface BreakerResults {
  /** Requests it took (answered MTN_UNAVAILABLE or similar) before the first CIRCUIT_OPEN. */
  requestsToOpen: number;
  opened: boolean;
  peak: Measured;
  halfRate: Measured;
  /** MTN create calls during the measured passes: an open breaker must spend none. */
  mtnCallsWhileOpen: number;
}

/**
 * MTN answers 503 to every request to pay until the collection breaker opens; then the gateway's
 * refusals are measured, flat out and at half that rate (where the p99 target is judged).
 */
export async function runBreaker(
  settings: BenchSettings,
  emulator: BenchEmulator,
  gateway: BenchGateway,
): Promise<BreakerResults> {
  process.stdout.write('refusals while the breaker is open\n');
  const fault = await emulator.admin('POST', '/_emulator/faults', {
    kind: 'error',
    status: 503,
    product: 'collection',
    pathPrefix: '/collection/v1_0/requesttopay',
    method: 'POST',
  });
  let n = 0;
  let requestsToOpen = 0;
  const create = async (): Promise<string> => {
    const i = n++;
    const res = await fetch(`${gateway.url}/v1/collections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gateway.headers },
      body: JSON.stringify({
        amount: UG.amount,
        currency: UG.currency,
        phoneNumber: String(UG.msisdnBase + 500_000 + i),
        externalId: `OPEN_${i}`,
      }),
    });
    const body = (await res.json()) as { code?: string };
    return body.code ?? String(res.status);
  };
  const opened = await until(
    async () => {
      const codes = await Promise.all(Array.from({ length: 5 }, create));
      requestsToOpen = n;
      return codes.includes('CIRCUIT_OPEN');
    },
    60_000,
    0,
  );
  try {
    const job = {
      method: 'POST' as const,
      paths: ['/v1/collections'],
      headers: gateway.headers,
      connections: settings.connections,
      durationS: settings.breakerS,
    };
    const peak = await measure('breaker open: refusals, peak', gateway, emulator, {
      ...job,
      body: { kind: 'collection', prefix: 'BRK_P', ...UG, msisdnBase: UG.msisdnBase + 600_000 },
    });
    const mtnPeak = countOf(peak.emulator, 'collection create');
    const halfRate = await measure('breaker open: refusals, 50%', gateway, emulator, {
      ...job,
      body: { kind: 'collection', prefix: 'BRK_H', ...UG, msisdnBase: UG.msisdnBase + 700_000 },
      overallRate: Math.max(1, Math.round(peak.load.requestsPerSec / 2)),
    });
    return {
      requestsToOpen,
      opened,
      peak,
      halfRate,
      mtnCallsWhileOpen: mtnPeak + countOf(halfRate.emulator, 'collection create'),
    };
  } finally {
    await emulator.admin('DELETE', `/_emulator/faults/${(fault as { id: string }).id}`);
  }
}
