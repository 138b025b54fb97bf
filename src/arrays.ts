// Appending to an array and finding extremes without spreading an array into a call's arguments:
// a call takes its arguments on the stack, and one of some hundred thousand values overflows it
// (`out.push(...lines)` of a restore table of 20,000 positions did).

/** Appends every item to `target`, in order; `target` itself is returned. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Math.max of the values, taken one at a time: -Infinity when there is none, NaN when one is NaN. */
export function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    // +0 is above -0 here, as in Math.max.
    if (v > max || (v === 0 && Object.is(max, -0))) max = v;
  }
  return max;
}

/** Math.min of the values, taken one at a time: Infinity when there is none, NaN when one is NaN. */
export function minOf(values: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    // -0 is below +0 here, as in Math.min.
    if (v < min || (min === 0 && Object.is(v, -0))) min = v;
  }
  return min;
}
