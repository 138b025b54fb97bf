// The kinds of threshold a check can have; each check module declares its own with these.
import type { Threshold } from './checks/types.js';
import { parseTolerance } from './decimal.js';
import { parseDuration } from './duration.js';

/** The option of a threshold: lateAfter -> --late-after. */
export function optionFlag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A duration (`5m`, `6h`, `1d`; a bare number is seconds), held in seconds. */
export function durationThreshold(name: string, help: string, defaultText: string, param: string): Threshold {
  return {
    name,
    placeholder: '<duration>',
    help,
    default: defaultText,
    expected: 'a duration such as 30s, 5m, 6h or 1d',
    schema: { oneOf: [{ type: 'string' }, { type: 'number', exclusiveMinimum: 0 }], examples: [defaultText] },
    parse: (text) => {
      const ms = parseDuration(text);
      return ms === null ? null : ms / 1000;
    },
    params: (value) => ({ [param]: value }),
  };
}

/** An exact decimal amount (`0.00000001`), or with `percent` a percentage (`0.01%`; the % may be left out), as decimal text. */
export function amountThreshold(name: string, help: string, defaultText: string, param: string, percent: boolean): Threshold {
  return {
    name,
    placeholder: percent ? '<percent>' : '<amount>',
    help,
    default: defaultText,
    expected: percent ? 'a percentage such as 0.01%' : 'an amount such as 0.00000001',
    schema: { oneOf: [{ type: 'string' }, { type: 'number', minimum: 0 }], examples: [defaultText] },
    parse: (text) => {
      const t = parseTolerance(percent && !text.trim().endsWith('%') ? `${text}%` : text);
      if (!t || (!percent && t.kind === 'percent')) return null;
      return (t.kind === 'percent' ? t.percent : t.amount).toString();
    },
    params: (value) => ({ [param]: value }),
  };
}

/** How far a row's entry price may be from its open position's before the row counts as an earlier position's. */
export const ENTRY_TOLERANCE = amountThreshold(
  'entryTolerance',
  "a row's entry price this far from its position's is another position's: absolute",
  '0.00000001',
  'entry_tolerance',
  false,
);
export const ENTRY_TOLERANCE_PCT = amountThreshold(
  'entryTolerancePct',
  "a row's entry price this far from its position's is another position's: relative to the position's entry",
  '0.01%',
  'entry_tolerance_pct',
  true,
);
