// Every check ts-audit knows, in the order the README's table lists them.
import { fieldDrift } from './field-drift.js';
import { missingInDb } from './missing-in-db.js';
import { missingInMemory } from './missing-in-memory.js';
import type { CheckInfo } from './types.js';

export const CHECKS: readonly CheckInfo[] = [missingInDb, missingInMemory, fieldDrift];
