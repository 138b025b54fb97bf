// Reporters by name: each is a function from a report to text, loaded only when chosen.
import type { RenderOptions, Report } from './types.js';

export type { RenderOptions } from './types.js';

export type Reporter = (report: Report, options: RenderOptions) => Promise<string>;

/** Formats by name; each loads its module only when chosen. */
export const REPORTERS: Record<string, Reporter> = {
  table: async (report, options) => (await import('./table.js')).renderTable(report, options),
  json: async (report) => (await import('./json.js')).renderJson(report),
  ndjson: async (report) => (await import('./ndjson.js')).renderNdjson(report),
  markdown: async (report) => (await import('./markdown.js')).renderMarkdown(report),
  junit: async (report, options) => (await import('./junit.js')).renderJunit(report, options.failOn, options.runSeconds),
  prometheus: async (report, options) => (await import('./prometheus.js')).renderPrometheus(report, options.runSeconds),
};
