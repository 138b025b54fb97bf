// "Did you mean": the known name closest to a misspelt one, by edit distance after folding camelCase
// and case into snake_case (entryPrice -> entry_price), so both typos and foreign spellings are named.

const fold = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest known name, or undefined when none is close enough to be a plausible intent. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const folded = fold(name);
  let best: { name: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(folded, fold(candidate));
    if (!best || d < best.d) best = { name: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(folded.length / 3)) ? best.name : undefined;
}

/** ` (did you mean "entry_price"?)`, or nothing. */
export function didYouMean(name: string, known: readonly string[]): string {
  const guess = closest(name, known);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
