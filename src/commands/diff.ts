// ts-audit diff: the bot's in-memory stops (a state dump) against monitoring.trailing_stop_state.
// The dump is opened first (a bad file fails before any connection), the database is read in one
// snapshot and closed, then the dump's stops are streamed against it: memory holds the rows, never
// the whole dump.
import { evaluateFieldDrift } from '../checks/field-drift.js';
import { CHECKS } from '../checks/index.js';
import { evaluateMissingInDb } from '../checks/missing-in-db.js';
import { evaluateMissingInMemory } from '../checks/missing-in-memory.js';
import type { DiffContext, Finding } from '../checks/types.js';
import type { Tolerance } from '../decimal.js';
import type { OpenPositionRow, StopRow } from '../db/rows.js';
import { openSnapshot } from '../db/snapshot.js';
import type { TableNames } from '../db/tables.js';
import { resolveTarget } from '../db/target.js';
import { openDump } from '../dump/read.js';
import { countFindings, restartCoverage, sortFindings } from '../report/build.js';
import { REPORT_VERSION, type Report } from '../report/types.js';
import { VERSION } from '../version.js';

export interface DatabaseOptions {
  db?: string;
  schema: string;
  tables: TableNames;
  openStatuses: string[];
  dbTimezone?: string;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface DiffOptions extends DatabaseOptions {
  dump: string;
  dumpTimeoutMs: number;
  dumpedAt?: Date;
  exchanges: string[];
  symbols: string[];
  priceTolerance: Tolerance;
}

export interface RunContext {
  env: Record<string, string | undefined>;
  now: () => Date;
  log?: (line: string) => void;
}

const key = (exchange: string, symbol: string) => `${exchange}\u0000${symbol}`;
const PRICE_COLUMNS = ['entry_price', 'highest_price', 'lowest_price', 'current_stop_price', 'activation_price', 'quantity'];

export async function runDiff(opts: DiffOptions, ctx: RunContext): Promise<Report> {
  const target = resolveTarget(opts.db, ctx.env);
  const dump = await openDump(opts.dump, {
    exchange: opts.exchanges.length === 1 ? opts.exchanges[0] : undefined,
    timeoutMs: opts.dumpTimeoutMs,
  });

  const snapshot = await openSnapshot({
    ...opts,
    target,
    queries: ['open-positions', 'stop-rows'],
    log: ctx.log,
  });
  let positions: OpenPositionRow[];
  let rows: StopRow[];
  try {
    const filters = { exchanges: opts.exchanges.length ? opts.exchanges : null, symbols: opts.symbols.length ? opts.symbols : null };
    positions = await snapshot.run<OpenPositionRow>('open-positions', { ...filters, open_statuses: opts.openStatuses });
    rows = await snapshot.run<StopRow>('stop-rows', filters);
  } finally {
    await snapshot.close();
  }

  const header = dump.header();
  const diffCtx: DiffContext = {
    dumpedAt: opts.dumpedAt ?? header.dumpedAt,
    priceTolerance: opts.priceTolerance,
    scales: Object.fromEntries(PRICE_COLUMNS.map((c) => [c, snapshot.catalog.scale('trailing_stop_state', c)])),
  };
  const openByKey = new Map(positions.map((p) => [key(p.exchange, p.symbol), p]));
  const rowsByKey = new Map(rows.map((r) => [key(r.exchange, r.symbol), r]));
  const wanted = (exchange: string, symbol: string) =>
    (opts.exchanges.length === 0 || opts.exchanges.includes(exchange)) && (opts.symbols.length === 0 || opts.symbols.includes(symbol));

  const findings: Finding[] = [];
  let inMemory = 0;
  let matched = 0;
  for await (const stop of dump.stops()) {
    if (!wanted(stop.exchange, stop.symbol)) continue;
    inMemory += 1;
    const k = key(stop.exchange, stop.symbol);
    const position = openByKey.get(k);
    const row = rowsByKey.get(k);
    if (!row) {
      findings.push(evaluateMissingInDb(stop, position));
      continue;
    }
    matched += 1;
    rowsByKey.delete(k);
    const drift = evaluateFieldDrift(stop, row, position, diffCtx);
    if (drift) findings.push(drift);
  }
  for (const [k, row] of rowsByKey) {
    const finding = evaluateMissingInMemory(row, openByKey.get(k), diffCtx);
    if (finding) findings.push(finding);
  }

  const diffChecks = CHECKS.map((c) => c.id);
  return {
    tool: 'ts-audit',
    version: VERSION,
    reportVersion: REPORT_VERSION,
    command: 'diff',
    generatedAt: ctx.now(),
    database: snapshot.info,
    dump: { source: dump.source, format: header.format, dumpedAt: diffCtx.dumpedAt, stops: inMemory },
    summary: {
      openPositions: positions.length,
      stopsInDb: rows.length,
      stopsInMemory: inMemory,
      matched,
      restart: restartCoverage(matched, inMemory),
      ...countFindings(findings, diffChecks),
    },
    findings: sortFindings(findings),
  };
}
