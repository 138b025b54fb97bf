// What a check is. Every check is one module, src/checks/<id>.ts, whose default export is one of the
// shapes below; the registry (index.ts) finds them and everything else (explain, help, options,
// config keys and schema, the README table, the report schema's ids) is derived from it.
import type { Tolerance } from '../decimal.js';
import type { FindingOf } from '../finding.js';
import type { ColumnList, OpenPositionRow, StopRow } from '../db/rows.js';
import type { LogicalTable } from '../db/tables.js';
import type { MemoryStop } from '../dump/types.js';
import type { LogAnalysis } from '../logs/analyze.js';
import type { MemoryLifecycles } from '../lifecycles/memory.js';
import type { Severity } from '../severity.js';

export { type Finding, type FindingOf, stopKey } from '../finding.js';

/**
 * The root causes a position can have, each reported by several checks: `no-row` (the open position
 * has no stop row), `earlier-row` (its row belongs to an earlier position of the symbol), `row-behind`
 * (the row lags memory), `wrong-side` (the row is on the other side), `saves-failing` (the logs show
 * the saves failing).
 */
export const ROOT_CAUSES = ['no-row', 'earlier-row', 'row-behind', 'wrong-side', 'saves-failing'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

/** What a finding carries beyond its message: each check declares its own shape, once. */
export type Evidence = Record<string, unknown>;

/**
 * One root cause a check reports. Of the checks that report the same root cause on one position, the
 * one of lowest rank names the problem and the others are listed as its consequences.
 */
export interface ProblemOf<E = Evidence> {
  cause: RootCause;
  rank: number;
  /** Only the findings whose evidence this holds for report it (every finding, without it). */
  when?(evidence: E): boolean;
}

/**
 * What a reporter asks of a finding beyond its message, each answered by the checks whose evidence
 * says it (`facts`): `flag-claims-stop` (the position's has_trailing_stop claims a stop it has no row
 * for), `escapes-cleanup-rule` (an entry difference too small for the bot's own clean-up rule),
 * `activated-in-memory` (the stop is activated in memory).
 */
export const FINDING_FACTS = ['flag-claims-stop', 'escapes-cleanup-rule', 'activated-in-memory'] as const;
export type FindingFact = (typeof FINDING_FACTS)[number];

/** A cell of an evidence table: text (escaped where it is shown), or text to stress (bold in Markdown). */
export type EvidenceCell = string | { strong: string };

/** A table of a check's findings (the incident report's): the columns after exchange and symbol. */
export interface EvidenceTable<E = Evidence> {
  headers: string[];
  cells(evidence: E): EvidenceCell[];
}

/**
 * A setting of a check: one option (`--late-after`), one config key (`thresholds.lateAfter`), one
 * value in the run's thresholds and, for a database check, the query parameters it binds.
 */
export interface Threshold {
  /** camelCase: the option's attribute, the key under "thresholds" in the config and in AuditContext. */
  name: string;
  /** The option's value placeholder, e.g. `<duration>`. */
  placeholder: string;
  help: string;
  /** The default as a person writes it (`5m`, `0.01%`); parsed like any other value. */
  default: string;
  /** What a value must look like, for error messages: "a duration such as 5m, 6h or 1d". */
  expected: string;
  /** JSON Schema of the value in the config file. */
  schema: Record<string, unknown>;
  /** The value, or null when the text is not one. */
  parse(text: string): unknown;
  /** The query parameters the value binds (a database check's). */
  params?(value: unknown): Record<string, unknown>;
}

export type CheckKind = 'diff' | 'database' | 'logs' | 'config';

/**
 * The commands a check can belong to (`any`: every command that reads the configuration). A check
 * naming another fails to compile, where a typo used to drop it from its command silently.
 */
export const CHECK_COMMANDS = ['check', 'diff', 'logs', 'timestamps', 'entry-mismatch', 'orphans', 'recreated', 'restore', 'any'] as const;
export type CheckCommand = (typeof CHECK_COMMANDS)[number];

/**
 * What every check is. E is what its findings carry (their evidence); the check is also what shows
 * that evidence (`details`, `facts`, `evidenceTable`), so that no reporter reads it field by field.
 */
interface CheckBase<E = Evidence> {
  id: string;
  kind: CheckKind;
  /** The severities this check can give, most severe first. */
  severities: Severity[];
  /** When it gives which, where that depends on the finding (README and explain). */
  severityText?: string;
  /** One line: what it catches. */
  summary: string;
  /** For `ts-audit explain`: the failure mode behind the check, and how to repair what it finds. */
  failureMode: string;
  repair: string;
  /** What `ts-audit rescue` writes to repair this check's findings, if anything (its comments name the check). */
  rescue?: 'insert' | 'update' | 'fix-side' | 'delete-orphan' | 'delete-stale';
  /** Why `ts-audit rescue` does not repair this check's findings (it lists them as left out with this reason). */
  notRescued?: string;
  /** Commands besides `check` (database) that run it; for the README and help. */
  commands: readonly CheckCommand[];
  thresholds?: Threshold[];
  /** One finding per evidence.reason: the reason is part of the finding's identity. */
  identityByReason?: boolean;
  /** Counted in ts_audit_memory_db_mismatch: memory and the table disagree on whether a stop exists. */
  memoryMismatch?: boolean;
  /** The suspected cause (`ts-audit report`) its findings are evidence of. */
  cause?: CauseKey;
  /**
   * The root causes this check's findings report (the first that matches a finding applies); a
   * finding that matches none is a problem of its own.
   */
  problemOf?: ProblemOf<E>[];
  /** False for a check that reads values as they are now, so it cannot judge a past moment (--as-of). */
  asOf?: false;
  /**
   * What a finding shows under its message, one line each (the fields that differ, what a restart
   * loses), as plain text: each reporter escapes it for where it is shown. None without it.
   */
  details?(evidence: E): string[];
  /** The facts of FINDING_FACTS a finding's evidence says (none without it). */
  facts?(evidence: E): FindingFact[];
  /** The incident report's table of this check's findings (a list of findings and messages without it). */
  evidenceTable?: EvidenceTable<E>;
}

/** What evaluate() of a database check gets besides its rows. */
export interface AuditContext {
  /** The run's clock (the snapshot is read at about this time). */
  now: Date;
  /** Every check's threshold values, by name. */
  thresholds: Record<string, unknown>;
  /** The in-memory stops by (exchange, symbol), when a dump was given. */
  memory?: Map<string, MemoryStop>;
  /** The in-memory signal lifecycles, when a dump's lifecycles section or the bot's log said them. */
  lifecycles?: MemoryLifecycles;
}

/**
 * A check that reads the database alone: one query, evaluated without further round trips. Row is
 * what its query returns, E what its findings carry (its own Evidence type).
 */
export interface DbCheck<Row extends object = Record<string, unknown>, E extends Evidence = Evidence> extends CheckBase<E> {
  kind: 'database';
  /** queries/<query>.sql; checks that read the same rows name the same query, which then runs once. */
  query: string;
  /**
   * The query's result columns this check reads: every field of Row, each once (the compiler holds
   * the list to Row, test/integration/columns.test.ts holds it to what the server returns).
   */
  columns: ColumnList<Row>;
  /** Optional columns (db/tables.ts) without which the check says nothing: it is skipped, and the report says why. */
  needs?: Partial<Record<LogicalTable, string[]>>;
  evaluate(rows: Row[], ctx: AuditContext): FindingOf<E>[];
  /**
   * Its evaluate judges each row on its own: rows given in batches make the findings all of them make
   * at once, in the same order (diff then judges the rows as they arrive).
   */
  byRow?: true;
  /** Also run by every replay of the event journal (`--from-events`): it judges the journal itself. */
  withReplay?: true;
  /** A check that can also judge one stop row as `diff` reads it (without this check's query). */
  evaluateStopRow?(row: StopRow): FindingOf<E> | null;
  /**
   * Where fetchRows sends its query among a run's others: `first` for rows that take the longest to
   * judge in Node (judged while the short queries run), `last` for the query that takes the longest
   * on the server (it then runs once the others' rows are judged: its parallel workers and Node's
   * judging do not share the cores of a server on ts-audit's own machine).
   */
  sendOrder?: 'first' | 'last';
}

/**
 * Any database check, whatever its row and evidence: what the registry and the runner hold (a
 * check's own functions take its evidence as methods do, so a check of any evidence is one).
 */
export type AnyDbCheck = DbCheck<object>;

/** The suspected causes the incident report knows; src/commands/report.ts words each one. */
export type CauseKey = 'saves-failing' | 'believed-stop' | 'carried-over' | 'wrong-side' | 'close-skips-delete';

/** One (exchange, symbol) as diff sees it: what memory, the table and the open positions hold. */
export interface DiffSides {
  stop?: MemoryStop;
  row?: StopRow;
  position?: OpenPositionRow;
  /** Whether the dump holds any stop of this exchange (a partial dump does not). */
  dumpHasExchange: boolean;
}

/** What the diff checks need besides the sides being compared. */
export interface DiffContext {
  dumpedAt: Date | null;
  priceTolerance: Tolerance;
  /** Digits after the point of each trailing_stop_state numeric column (null: unconstrained). */
  scales: Record<string, number | null>;
}

/** A check of `diff`: memory against the table and the open positions, one (exchange, symbol) at a time. */
export interface DiffCheck<E extends Evidence = Evidence> extends CheckBase<E> {
  kind: 'diff';
  /** Compares field values, so a symbols-only memory side ([TS_DEBUG] lines) cannot feed it. */
  comparesFields?: boolean;
  evaluate(sides: DiffSides, ctx: DiffContext): FindingOf<E> | null;
}

/** A finding of `ts-audit logs`, from the bot's own log lines. */
export interface LogCheck<E extends Evidence = Evidence> extends CheckBase<E> {
  kind: 'logs';
  evaluate(analysis: LogAnalysis): FindingOf<E>[];
}

/** An allowlist entry of the config file: a known finding that should not fail CI, with why and until when. */
export interface AllowEntry {
  check: string;
  exchange?: string;
  symbol: string;
  reason: string;
  expires?: Date;
}

/** A finding about ts-audit's own configuration (an expired allowlist entry). */
export interface ConfigCheck<E extends Evidence = Evidence> extends CheckBase<E> {
  kind: 'config';
  evaluate(entries: AllowEntry[]): FindingOf<E>[];
}

export type Check = AnyDbCheck | DiffCheck | LogCheck | ConfigCheck;

/** A check's documentation page, generated from its module by the build (src/generate.ts). */
export const checkPagePath = (id: string) => `docs/checks/${id}.md`;
