import type { Report } from './types.js';

import type { FailOn } from '../severity.js';

export interface RenderOptions {
  /** chalk colour level: 0 for none. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Terminal width to wrap the table to; undefined for no wrapping. */
  width?: number;
  /** The threshold the exit code uses (JUnit marks findings at or above it as failures). */
  failOn: FailOn;
  /** How long the run took, for JUnit and Prometheus. */
  runSeconds: number;
}

export type Reporter = (report: Report, options: RenderOptions) => Promise<string>;

/** Formats by name; each loads its module only when chosen. */
export const REPORTERS: Record<string, Reporter> = {
  table: async (report, options) => (await import('./table.js')).renderTable(report, options),
  json: async (report) => (await import('./json.js')).renderJson(report),
  markdown: async (report) => (await import('./markdown.js')).renderMarkdown(report),
  junit: async (report, options) => (await import('./junit.js')).renderJunit(report, options.failOn, options.runSeconds),
  prometheus: async (report, options) => (await import('./prometheus.js')).renderPrometheus(report, options.runSeconds),
};
