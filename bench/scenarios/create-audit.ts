import { Client } from 'pg';
import type { BenchEmulator } from '../support/stack';

export interface CreateAudit {
  /** Stored transactions the gateway sent to MTN (mtn_accepted) and those it never sent (refused first). */
  sent: number;
  notSent: number;
  /** Of the sent ones: how many MTN received exactly once, never, or more than once. */
  sentOnce: number;
  sentNever: number;
  sentMoreThanOnce: number;
  /** Refused ones MTN nevertheless received a create for. */
  notSentButReceived: number;
  /** Creates MTN received for references the gateway does not hold. */
  unknownAtGateway: number;
}

async function ids(url: string, sql: string): Promise<string[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ id: string }>(sql)).rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

/**
 * "Exactly one MTN create call per initiation", checked per transaction: every transaction the
 * gateway stored as sent to MTN got exactly one create call at the emulator (same X-Reference-Id),
 * every one it refused before sending got none, and MTN holds nothing the gateway does not know.
 * Counted over the emulator's whole phase (warm-up included), after the load has drained.
 */
export async function auditCreates(
  emulator: BenchEmulator,
  databaseUrl: string,
  otherRefs: string[] = [],
): Promise<CreateAudit> {
  const sentIds = await ids(databaseUrl, 'SELECT id FROM momo_transactions WHERE mtn_accepted');
  const notSentIds = await ids(
    databaseUrl,
    'SELECT id FROM momo_transactions WHERE NOT mtn_accepted',
  );
  const sent = await emulator.proc.ipc.call<{
    zero: number;
    one: number;
    many: number;
    unknownAtGateway: number;
  }>('createAudit', {
    refs: sentIds,
    otherRefs: [...otherRefs, ...notSentIds],
  });
  const notSent = await emulator.proc.ipc.call<{ zero: number; one: number; many: number }>(
    'createAudit',
    { refs: notSentIds },
  );
  return {
    sent: sentIds.length,
    notSent: notSentIds.length,
    sentOnce: sent.one,
    sentNever: sent.zero,
    sentMoreThanOnce: sent.many,
    notSentButReceived: notSent.one + notSent.many,
    unknownAtGateway: sent.unknownAtGateway,
  };
}

export function auditPasses(a: CreateAudit): boolean {
  return (
    a.sent > 0 &&
    a.sentOnce === a.sent &&
    a.sentMoreThanOnce === 0 &&
    a.notSentButReceived === 0 &&
    a.unknownAtGateway === 0
  );
}
