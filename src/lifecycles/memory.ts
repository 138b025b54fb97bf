// The signal lifecycles memory holds, whatever said them (a dump's lifecycles section, the bot's log).
import type { Decimal } from '../decimal.js';

/** A lifecycle as memory holds it: from a dump's lifecycles section, or from the bot's log lines. */
export interface MemoryLifecycle {
  /** Unknown for a lifecycle read from the log (its lines name no exchange). */
  exchange?: string;
  symbol: string;
  state?: string;
  maxPrice?: Decimal;
  tsActivated?: boolean;
  entryPrice?: Decimal;
  /** Where it was read: "the dump", "the log". */
  source: string;
  /** A dump says memory's values; the log only what its lines showed (a peak is then a lower bound). */
  exact?: boolean;
}

/** By stopKey(exchange, symbol); a lifecycle whose exchange is unknown by stopKey('', symbol). */
export type MemoryLifecycles = Map<string, MemoryLifecycle>;
