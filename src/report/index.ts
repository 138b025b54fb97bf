// Reporters by name: each writes a report as a sequence of chunks, loaded only when chosen. A report's
// findings are read as they are written, so no format builds a large run as one string.
import type { RenderOptions, Report } from './types.js';

export type { RenderOptions } from './types.js';

export type Reporter = (report: Report, options: RenderOptions) => Promise<Iterable<string>>;

/** Formats by name; each loads its module only when chosen. */
export const REPORTERS: Record<string, Reporter> = {
  table: async (report, options) => (await import('./table.js')).renderTable(report, options),
  json: async (report) => (await import('./json.js')).renderJson(report),
  ndjson: async (report) => (await import('./ndjson.js')).renderNdjson(report),
  markdown: async (report) => (await import('./markdown.js')).renderMarkdown(report),
  junit: async (report, options) => (await import('./junit.js')).renderJunit(report, options.failOn, options.runSeconds),
  prometheus: async (report, options) => (await import('./prometheus.js')).renderPrometheus(report, options.runSeconds),
  compact: async (report) => (await import('./compact.js')).renderCompact(report),
  github: async (report) => (await import('./github.js')).renderGithub(report),
  sarif: async (report) => (await import('./sarif.js')).renderSarif(report),
};

/** The chunks as one string, for output known to be small (watch's metrics). */
export const joined = (chunks: Iterable<string>): string => [...chunks].join('');
