/**
 * The MoMo emulator in its own process for the benchmark (so the load generator, the servers and
 * the emulator never share an event loop), at zero latency. The bench drives it through its usual
 * HTTP control API and, over IPC, for what that API does not offer: exact per-kind request
 * counters (the request log is a bounded ring) and bulk seeding of transactions for the
 * reconciliation scenario.
 */
import { startEmulator } from '../../src/emulator/emulator';
import type { RequestLogEntry } from '../../src/emulator/request-log';
import { SUCCESS, failsWith } from '../../src/emulator/outcomes';
import { serveIpc } from '../support/ipc';
import { benchUuid } from '../support/ids';

type Counters = Record<string, { total: number; byStatus: Record<string, number> }>;

const CREATE =
  /^\/(collection|disbursement|remittance)\/v[12]_0\/(requesttopay|requesttowithdraw|transfer|deposit|refund|cashtransfer)$/;
const STATUS =
  /^\/(collection|disbursement|remittance)\/v[12]_0\/(requesttopay|requesttowithdraw|transfer|deposit|refund|cashtransfer)\/[^/]+$/;
const TOKEN = /^\/(collection|disbursement|remittance)\/token\/$/;

function kindOf(method: string, path: string): string {
  let m = TOKEN.exec(path);
  if (m) return `${m[1]} token`;
  m = CREATE.exec(path);
  if (m && method === 'POST') return `${m[1]} create`;
  m = STATUS.exec(path);
  if (m && method === 'GET') return `${m[1]} status`;
  return 'other';
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: 0,
    processingDelayMs: 0,
    callbackDelayMs: 0,
    requestLogSize: 2000,
    callbackLogSize: 100,
    maxTransactions: 400_000,
  });
  const state = emulator.state;

  let counters: Counters = {};
  /** Totals since the last `totals` reset: one gateway process's lifetime (token calls). */
  let totals: Record<string, number> = {};
  /** Create calls per X-Reference-Id since the last reset: more than one is a duplicate create. */
  let createsByRef = new Map<string, number>();
  /** The same since the last emulator reset (one phase), for the audit at its end. */
  let phaseCreatesByRef = new Map<string, number>();
  const originalStart = state.requestLog.start.bind(state.requestLog);
  state.requestLog.start = (method, url, path, headers): RequestLogEntry => {
    const entry = originalStart(method, url, path, headers);
    const kind = kindOf(method, path);
    const c = (counters[kind] ??= { total: 0, byStatus: {} });
    c.total += 1;
    totals[kind] = (totals[kind] ?? 0) + 1;
    if (kind.endsWith(' token')) {
      // Per API user too, so the gateway's token calls are told from the baseline's.
      const basic = /^Basic (.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
      const apiUser = basic
        ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0]
        : 'unknown';
      totals[`${kind} ${apiUser}`] = (totals[`${kind} ${apiUser}`] ?? 0) + 1;
    }
    if (kind.endsWith(' create')) {
      const ref = String(headers['x-reference-id'] ?? '');
      createsByRef.set(ref, (createsByRef.get(ref) ?? 0) + 1);
      phaseCreatesByRef.set(ref, (phaseCreatesByRef.get(ref) ?? 0) + 1);
    }
    let status: number | undefined;
    Object.defineProperty(entry, 'status', {
      enumerable: true,
      get: () => status,
      set: (value: number) => {
        status = value;
        c.byStatus[value] = (c.byStatus[value] ?? 0) + 1;
      },
    });
    return entry;
  };

  serveIpc({
    info: () => ({ url: emulator.url, subscriptionKeys: emulator.subscriptionKeys }),
    createApiUser: (input: { providerCallbackHost: string }) =>
      emulator.createApiUser({
        providerCallbackHost: input.providerCallbackHost,
        targetEnvironment: 'sandbox',
      }),
    /** Counters since the last reset; `reset` starts afresh after reading. */
    counters: (arg: { reset?: boolean } = {}) => {
      let duplicateCreates = 0;
      for (const n of createsByRef.values()) if (n > 1) duplicateCreates += n - 1;
      const out = {
        requests: counters,
        distinctCreateRefs: createsByRef.size,
        duplicateCreates,
        transactions: state.transactions.size,
      };
      if (arg.reset) {
        counters = {};
        createsByRef = new Map();
      }
      return out;
    },
    totals: (arg: { reset?: boolean } = {}) => {
      const out = totals;
      if (arg.reset) totals = {};
      return out;
    },
    /**
     * How many create calls each of `refs` (a gateway's stored transactions) received this phase,
     * and how many created references belong to neither `refs` nor `otherRefs` (a create MTN got
     * for a transaction the gateway does not know).
     */
    createAudit: (arg: { refs: string[]; otherRefs?: string[] }) => {
      const out = { transactions: arg.refs.length, zero: 0, one: 0, many: 0, unknownAtGateway: 0 };
      const known = new Set<string>();
      for (const ref of arg.refs) {
        known.add(ref.toLowerCase());
        const n = phaseCreatesByRef.get(ref) ?? phaseCreatesByRef.get(ref.toLowerCase()) ?? 0;
        if (n === 0) out.zero++;
        else if (n === 1) out.one++;
        else out.many++;
      }
      for (const ref of arg.otherRefs ?? []) known.add(ref.toLowerCase());
      for (const ref of phaseCreatesByRef.keys())
        if (!known.has(ref.toLowerCase())) out.unknownAtGateway++;
      return out;
    },
    /** Forget transactions, users and logs (between phases), keeping the subscription keys. */
    reset: () => {
      emulator.reset();
      counters = {};
      totals = {};
      createsByRef = new Map();
      phaseCreatesByRef = new Map();
      return true;
    },
    /**
     * `count` request-to-pay transactions of `apiUser` with the ids `benchUuid(prefix, i)`, as if
     * created through the API and already final: every `failEvery`-th one FAILED, the rest
     * SUCCESSFUL (money moved once through the ledger) with financial id 1000000000 + i. Returns
     * how many transactions the emulator holds.
     */
    seed: (arg: {
      apiUser: string;
      prefix: number;
      count: number;
      amount: string;
      currency: string;
      msisdnBase: number;
      failEvery: number;
    }) => {
      const units = BigInt(arg.amount) * 10_000n;
      for (let i = 0; i < arg.count; i++) {
        const referenceId = benchUuid(arg.prefix, i);
        const payer = {
          partyIdType: 'MSISDN' as const,
          partyId: String(arg.msisdnBase + (i % 1_000_000)),
        };
        const now = Date.now();
        const outcome =
          arg.failEvery > 0 && i % arg.failEvery === 0 ? failsWith('APPROVAL_REJECTED') : SUCCESS;
        state.engine.start(
          {
            referenceId,
            apiUser: arg.apiUser,
            product: 'collection',
            kind: 'requesttopay',
            version: 1,
            currency: arg.currency,
            amount: arg.amount,
            units,
            party: payer,
            request: { externalId: `RECON_${i}` },
            status: 'PENDING',
            createdAt: now,
            updatedAt: now,
            movement: {
              from: { kind: 'wallet', partyIdType: 'MSISDN', partyId: payer.partyId },
              to: { kind: 'account', apiUser: arg.apiUser, product: 'collection' },
            },
            settled: false,
            refundedUnits: 0n,
            drifted: false,
            extra: {},
          },
          outcome,
        );
        // A deterministic financial id, so the gateway's rows can carry the same one.
        const tx = state.transactions.get(arg.apiUser, referenceId);
        if (tx?.status === 'SUCCESSFUL') tx.financialTransactionId = String(1_000_000_000 + i);
      }
      return state.transactions.size;
    },
  });
  process.send?.({ bench: 'ready', url: emulator.url });
  const stop = (): void => {
    void emulator.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench emulator failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
