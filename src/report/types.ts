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
  database: {
    target: string;
    serverVersion: string;
    snapshotAt: Date;
    naiveTimestampZone: string;
    naiveColumns: string[];
  };
  dump: {
    source: string;
    format: DumpFormat;
    dumpedAt: Date | null;
    stops: number;
  } | null;
  summary: {
    openPositions: number;
    stopsInDb: number;
    stopsInMemory: number;
    matched: number;
    restart: {
      /** Stops in memory that have a row, i.e. that a restart would find. */
      withRow: number;
      inMemory: number;
      percent: number;
      text: string;
    };
    bySeverity: Record<Severity, number>;
    byCheck: Record<string, number>;
  };
  findings: Finding[];
}
