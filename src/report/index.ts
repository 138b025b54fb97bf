import type { Report } from './types.js';

export interface RenderOptions {
  /** chalk colour level: 0 for none. */
  colorLevel: 0 | 1 | 2 | 3;
  /** Terminal width to wrap the table to; undefined for no wrapping. */
  width?: number;
}

export type Reporter = (report: Report, options: RenderOptions) => Promise<string>;

/** Formats by name; each loads its module only when chosen. */
export const REPORTERS: Record<string, Reporter> = {
  table: async (report, options) => (await import('./table.js')).renderTable(report, options),
  json: async (report) => (await import('./json.js')).renderJson(report),
};
