/**
 * The ledger's accounts, shared by core-ledger (the service that owns them)
 * and the warm-up traffic: 50 accounts, `acc-1` … `acc-50`, each opened
 * with the same balance. Transfers go from the first half to the second.
 */

export const ACCOUNT_COUNT = 50;
export const OPENING_BALANCE_CENTS = 1_000_000_000;
export const OPENING_LIMIT_CENTS = 50_000;

/** Every account id. */
export const ACCOUNT_IDS: readonly string[] = Array.from({ length: ACCOUNT_COUNT }, (_, i) => `acc-${i + 1}`);

/** Currency pairs fx quotes, with their mid rate. */
export const FX_PAIRS: Readonly<Record<string, number>> = {
  EURUSD: 1.0842, GBPUSD: 1.2671, USDJPY: 151.37, USDCHF: 0.9032, EURGBP: 0.8556,
};

/** The stream transfer events are published on, and the statement worker's group. */
export const TRANSFER_STREAM = 'transfer-events';
export const STATEMENT_GROUP = 'statements';
