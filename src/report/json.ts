import type { Report } from './types.js';

/** Dates serialise as ISO-8601 UTC and decimals as strings through their toJSON. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;
