import type { Finding } from '../checks/types.js';
import type { DumpFormat } from '../dump/types.js';
import type { Severity } from '../severity.js';

export const REPORT_VERSION = 1;

/** The JSON report, version 1 (src/schemas/report-v1.schema.json). Reporters render it; nothing else. */
export interface Report {
  tool: 'ts-audit';
  version: string;
  reportVersion: typeof REPORT_VERSION;
  command: string;
  generatedAt: Date;
  /** Null for `logs`, which reads no database. */
  database: {
    target: string;
    serverVersion: string;
    snapshotAt: Date;
    naiveTimestampZone: string;
    naiveColumns: string[];
  } | null;
  dump: {
    source: string;
    format: DumpFormat;
    dumpedAt: Date | null;
    stops: number;
  } | null;
  summary: {
    /** Null for `logs`. */
    openPositions: number | null;
    stopsInDb: number | null;
    /** Null when the command read no state dump. */
    stopsInMemory: number | null;
    matched: number | null;
    /**
     * The restart line: the restore simulation's outcome for the open positions (`diff`, `restore`,
     * `check`, `report`), or what the last restart in the logs did (`logs`). percent is null for 0 of 0.
     */
    restart: { restored: number; openPositions: number; percent: number | null; text: string } | null;
    bySeverity: Record<Severity, number>;
    byCheck: Record<string, number>;
    /** Findings left out by --baseline and by the config's allowlist (present when either was given). */
    suppressed?: { baseline: number; allowlist: number };
  };
  findings: Finding[];
  /** Checks that could not run on this database (a column they need is missing), and why: never silent. */
  skipped: SkippedCheck[];
  /** Command-specific tables: `timestamps` and `restore` show every open position, not just findings. */
  details?: {
    timestamps?: TimestampDetail[];
    burst?: Burst | null;
    restore?: RestoreDetail[];
    displayTimezone?: string;
    logs?: {
      files: string[];
      records: number;
      firstAt: Date | null;
      lastAt: Date | null;
      logTimezone: string;
      /** Every restart, counted; `restarts` lists the last 1,000. */
      restartCount: number;
      restartTotals: import('../logs/analyze.js').Restart['counts'];
      restarts: import('../logs/analyze.js').Restart[];
      memory: import('../logs/analyze.js').MemorySet[];
    };
  };
}

export interface SkippedCheck {
  check: string;
  reason: string;
}

export interface TimestampDetail {
  exchange: string;
  symbol: string;
  positionId: number;
  positionOpenedAt: Date | null;
  stopCreatedAt: Date | null;
  lagSeconds: number | null;
  late: boolean;
}

/** Many rows created within one minute, hours after their positions: stops recreated at a restart. */
export interface Burst {
  minute: Date;
  stops: number;
  minLagSeconds: number;
  maxLagSeconds: number;
  text: string;
}

export interface RestoreDetail {
  exchange: string;
  symbol: string;
  positionId: number;
  outcome: string;
  reason: string;
}
