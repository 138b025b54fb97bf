/** "1 stop", "14 stops", "1,000 findings": a count with its noun, in English, grouped by thousands. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
