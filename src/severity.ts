export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FailOn = Severity | 'none';

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Negative when a is more severe than b. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && RANK[severity] <= RANK[threshold];
}

export function isFailOn(value: string): value is FailOn {
  return value === 'none' || (SEVERITIES as readonly string[]).includes(value);
}

export function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
