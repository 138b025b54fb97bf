import type { Decimal } from '../decimal.js';
import type { MemoryLifecycles } from '../lifecycles/memory.js';

export type Side = 'long' | 'short';
export const STOP_STATES = ['inactive', 'waiting', 'active', 'triggered'] as const;

/**
 * One trailing stop as the bot holds it in memory, whatever dump format it came from.
 * `undefined` means the dump did not say (the field is not compared); `null` means it said null.
 */
export interface MemoryStop {
  /** 1-based position of the entry in its source, for error messages and evidence. */
  entry: number;
  exchange: string;
  symbol: string;
  /** Lower-cased. */
  state: string;
  side?: Side;
  isActivated?: boolean;
  entryPrice?: Decimal | null;
  highestPrice?: Decimal | null;
  lowestPrice?: Decimal | null;
  currentStopPrice?: Decimal | null;
  activationPrice?: Decimal | null;
  quantity?: Decimal | null;
  updateCount?: number | null;
  createdAt?: Date | null;
  activatedAt?: Date | null;
  lastUpdateTime?: Date | null;
  /** Numbers from JSON floats (the event journal): equal within one unit of the column's last digit. */
  approximate?: boolean;
  /**
   * From the event journal: created during the session (its trailing_stop_created), restored by the
   * session's start-up from its row, written by that start-up (a row created between the previous
   * session's last event and the session's start), or a fresh stop the start-up created with no row.
   */
  origin?: 'journal-created' | 'journal-restored' | 'startup-written' | 'startup-fresh';
}

/** ts-debug-log: the symbols of the bot's [TS_DEBUG] log lines (symbols only: no field is compared). */
/** journal: replayed from monitoring.events (`--from-events`). */
export type DumpFormat = 'ts-audit-json' | 'ts-audit-ndjson' | 'get-status' | 'ts-debug-log' | 'journal';

export interface DumpHeader {
  format: DumpFormat;
  dumpedAt: Date | null;
}

/** A dump being read: its header is known once the first entry has been seen. */
export interface DumpReader {
  /** The source as given, credentials masked. */
  source: string;
  header(): DumpHeader;
  stops(): AsyncIterable<MemoryStop>;
  /**
   * The signal lifecycles memory holds (the current bot's real exit), by (exchange, symbol), when the
   * source says them (a dump's optional lifecycles section, the bot's log); undefined when it does not.
   * Known once stops() has been read to the end.
   */
  lifecycles?(): MemoryLifecycles | undefined;
  /** Closes the source (a file, a download) whether or not its stops were read to the end. */
  close?(): Promise<void>;
}

/** A stop is activated when the dump says so, or else when its state is `active` (as the bot saves it). */
export function memoryActivated(stop: MemoryStop): boolean {
  return stop.isActivated ?? stop.state === 'active';
}

export function normalizeSide(side: string | null | undefined): Side | null {
  switch ((side ?? '').trim().toLowerCase()) {
    case 'long':
    case 'buy':
      return 'long';
    case 'short':
    case 'sell':
      return 'short';
    default:
      return null;
  }
}
