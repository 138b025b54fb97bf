// Every check ts-audit knows, in the order the README's table lists them.
import { entryPriceMismatch } from './entry-price-mismatch.js';
import { fieldDrift } from './field-drift.js';
import { LOG_CHECKS } from './log-checks.js';
import { latePersisted } from './late-persisted.js';
import { missingInDb } from './missing-in-db.js';
import { missingInMemory } from './missing-in-memory.js';
import { orphanedStop, stalePositionLink, unprotectedPosition } from './orphans.js';
import { recreatedPosition } from './recreated-position.js';
import { restoreLoss, staleRestore } from './restore.js';
import { flagMismatch, invalidStopRow, sideMismatch, staleStop } from './row-integrity.js';
import type { CheckInfo, DbCheck } from './types.js';
import { untrailedPosition } from './untrailed-position.js';

/** The checks of `ts-audit diff`: they compare a state dump with the rows. */
export const DIFF_CHECKS: readonly CheckInfo[] = [missingInDb, missingInMemory, untrailedPosition, fieldDrift];

/** The checks that read the database alone (`ts-audit check`, `diff --all`). */
export const DB_CHECKS: readonly DbCheck<never>[] = [
  sideMismatch,
  restoreLoss,
  staleRestore,
  entryPriceMismatch,
  unprotectedPosition,
  invalidStopRow,
  latePersisted,
  orphanedStop,
  stalePositionLink,
  recreatedPosition,
  flagMismatch,
  staleStop,
] as DbCheck<never>[];

export const ALL_CHECKS: readonly CheckInfo[] = [...DIFF_CHECKS, ...DB_CHECKS, ...LOG_CHECKS];

export function findCheck(id: string): CheckInfo | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
