/** Durations and sizes of one bench run; `--quick` shrinks everything for development. */
export interface BenchSettings {
  quick: boolean;
  /** autocannon connections for peak passes. */
  connections: number;
  warmupS: number;
  /** The one-connection create pass. */
  aloneS: number;
  peakS: number;
  halfRateS: number;
  readS: number;
  listS: number;
  callbackS: number;
  breakerS: number;
  burstRequests: number;
  burstBudgetPerMinute: number;
  reconcileRecords: number;
  /** How long the bench waits for the reconciliation run before measuring what it did. */
  reconcileMaxS: number;
}

export function benchSettings(quick: boolean): BenchSettings {
  return quick
    ? {
        quick,
        connections: 16,
        warmupS: 2,
        aloneS: 2,
        peakS: 4,
        halfRateS: 4,
        readS: 3,
        listS: 3,
        callbackS: 3,
        breakerS: 3,
        burstRequests: 1000,
        burstBudgetPerMinute: 600,
        reconcileRecords: 5_000,
        reconcileMaxS: 120,
      }
    : {
        quick,
        connections: 32,
        warmupS: 5,
        aloneS: 5,
        peakS: 20,
        halfRateS: 15,
        readS: 10,
        listS: 10,
        callbackS: 10,
        breakerS: 10,
        burstRequests: 5_000,
        burstBudgetPerMinute: 600,
        reconcileRecords: 100_000,
        reconcileMaxS: 240,
      };
}

/** A Ugandan request to pay; the customer number changes with every request. */
export const UG = { amount: '1000', currency: 'UGX', msisdnBase: 256_771_000_000 };
