import type { CheckKind, Finding } from '../checks/types.js';
import type { ExecutedQuery, SnapshotInfo } from '../db/snapshot.js';
import type { LogicalTable } from '../db/tables.js';
import type { LogAnalysis } from '../logs/analyze.js';
import type { DumpFormat } from '../dump/types.js';
import type { FailOn, Severity } from '../severity.js';
import type { Findings } from './findings.js';

export const REPORT_VERSION = 1;

/** The JSON report, version 1 (dist/schemas/report-v1.schema.json, from src/schemas/). Reporters render it; nothing else. */
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
    restart: { restored: number; openPositions: number; percent: number | null; text: string; lifecycles?: { reset: number; missing: number } } | null;
    bySeverity: Record<Severity, number>;
    byCheck: Record<string, number>;
    /** How many (exchange, symbol) pairs the findings concern. */
    positions?: number;
    /** How many findings are uncertain (each says why in `uncertain` and its message); absent when none is. */
    uncertain?: number;
    /** The findings as problems: those of one root cause on one position are one (src/report/problems.ts). */
    problems?: ProblemCounts;
    /** Findings left out by --baseline and by the config's allowlist (present when either was given). */
    suppressed?: { baseline: number; allowlist: number };
  };
  /** Sorted worst first; iterate it (a large run's findings are read back from disk as they are iterated). */
  findings: Findings;
  /** Checks that could not run on this database (a column they need is missing), and why: never silent. */
  skipped: SkippedCheck[];
  /** What the reader must know to read the findings right (as-of limits, where memory came from). */
  notes: string[];
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

export interface ProblemCounts {
  /** How many problems: a root cause (or a check's own finding) on one (exchange, symbol). */
  total: number;
  /** By the worst severity among each problem's findings. */
  bySeverity: Record<Severity, number>;
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
  /** What a restart does to its signal lifecycle (the current bot's real exit), when the bot uses them. */
  lifecycle?: string;
}

/** `ts-audit report`: the data the incident report is written from. */
export interface Cause {
  title: string;
  evidence: string[];
  actions: string[];
}

export interface IncidentReport {
  title: string;
  generatedAt: Date;
  displayTimezone: string;
  database: SnapshotInfo;
  /** diff --all (with a dump) or check: every finding of the snapshot. */
  main: Report;
  timestamps: Report;
  restore: Report;
  logs: LogAnalysis | null;
  /** The zone the logs were written in (--log-timezone): the "as logged" times are in it. */
  logTimezone: string | null;
  findings: Finding[];
  causes: Cause[];
  queries: ExecutedQuery[];
  /** The timelines of the symbols with database findings (at most 20), restarts included. */
  timeline: Timeline | null;
  /** The moment the memory side stands for (a dump's time, or --as-of), marked on the chart. */
  moment: { label: string; at: Date } | null;
}

/** `ts-audit explain CHECK`. */
export interface Explanation {
  id: string;
  kind: CheckKind;
  severities: string[];
  summary: string;
  failureMode: string;
  repair: string;
  /** Why `ts-audit rescue` does not repair this check's findings, when it says so. */
  notRescued?: string;
  commands: string[];
  thresholds: { option: string; default: string; help: string }[];
  query: { name: string; sql: string } | null;
}

/** `ts-audit queries`. */
export interface QueryListing {
  queries: { name: string; description: string }[];
}

/** `ts-audit queries --show NAME`. */
export interface ShownQuery {
  name: string;
  sql: string;
  parameters: { placeholder: string; name: string; value: unknown }[];
  /** False when no database was asked: naive columns could not be known. */
  fromCatalog: boolean;
}

/** What every reporter gets besides the report. */
export interface RenderOptions {
  /** chalk colour level: 0 for none. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Width the table fits (--width, the terminal's, COLUMNS, else 80). */
  width?: number;
  /** --quiet: only the summary lines. */
  quiet?: boolean;
  /** The threshold the exit code uses (JUnit marks findings at or above it as failures). */
  failOn: FailOn;
  /** How long the run took, for JUnit and Prometheus. */
  runSeconds: number;
  /** The table's findings at most (the worst first); 0 for all. */
  maxRows?: number;
}

/** `ts-audit timeline`: per (exchange, symbol), what the database and the journal show, in time order. */
export interface Timeline {
  tool: 'ts-audit';
  command: 'timeline';
  generatedAt: Date;
  database: SnapshotInfo;
  from: Date | null;
  until: Date | null;
  /** Every session start (bot_started, or an older journal's positions_loaded) in the window. */
  restarts: Date[];
  /** The bot's sessions in the window, from the journal's bot_started and bot_stopped events. */
  sessions?: TimelineSession[];
  symbols: TimelineSymbol[];
  notes: string[];
}

export interface TimelineSession {
  startedAt: Date;
  /** bot_started, or positions_loaded in an older journal. */
  marker: string;
  stoppedAt: Date | null;
  /** The session ended with no bot_stopped: the next session started after a crash. */
  crashed: boolean;
  /** Its last event (the crash came after it). */
  lastEventAt: Date | null;
  /** Its first event after the start; null: none (memory unknown). */
  firstEventAt: Date | null;
}

export interface TimelineSymbol {
  exchange: string;
  symbol: string;
  entries: TimelineEntry[];
  /** "created in memory 13:05:55 per the journal, row created 16:30:34: not saved for 3h 24m". */
  lags: string[];
}

export interface TimelineEntry {
  at: Date;
  /** position-opened, position-closed, first-order, last-order, row-created, row-activated, row-updated, restart, or a journal event type. */
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
}

export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface DoctorItem {
  section: 'setup' | 'server' | 'tables' | 'checks' | 'time' | 'journal' | 'role';
  name: string;
  status: DoctorStatus;
  detail: string;
  /** Lines to copy (the GRANTs of a read-only role). */
  hint?: string[];
}

/** What `ts-audit doctor` found (src/commands/doctor.ts), rendered by src/report/doctor.ts. */
export interface DoctorReport {
  tool: 'ts-audit';
  version: string;
  command: 'doctor';
  generatedAt: Date;
  target: { display: string; source: string } | null;
  configFile: string | null;
  server: { version: string; snapshotAt: Date; naiveTimestampZone: string } | null;
  tables: { table: LogicalTable; name: string; found: boolean; readable: boolean; missingRequired: string[]; missingOptional: string[] }[];
  checks: { available: string[]; skipped: SkippedCheck[] } | null;
  items: DoctorItem[];
  /** 0: everything needed works; 3: the database cannot be used as it is. */
  exitCode: number;
}
