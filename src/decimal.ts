// Exact decimal arithmetic on BigInt: prices never pass through a double.
// A value is coefficient x 10^-scale; only what the audit needs is here.

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Powers of ten up to 10^63, built once: rescaling to a common scale is most of what comparing costs. */
const POW10 = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));
const pow10 = (n: number): bigint => POW10[n] ?? 10n ** BigInt(n);

export class Decimal {
  /** toString's text, once it was asked for. */
  private text: string | undefined = undefined;

  private constructor(
    readonly coefficient: bigint,
    readonly scale: number,
    /** The plain text it was read from, when a dump wrote it without an exponent ("0.19720000"). */
    readonly written?: string,
  ) {}

  /** Parses a decimal as written (`"0.10"`, `-1.5e-8`); returns null when it is not one. */
  static parse(text: string): Decimal | null {
    return Decimal.fromPlain(text) ?? Decimal.fromWritten(text);
  }

  /**
   * A decimal as PostgreSQL writes a numeric (`-12.340`: digits, at most one point between digits),
   * read without the regular expression, which showed in judging a large set of rows; undefined for
   * any other text, which `fromWritten` reads.
   */
  private static fromPlain(text: string): Decimal | undefined {
    const n = text.length;
    const start = text.charCodeAt(0) === 45 ? 1 : 0;
    let point = -1;
    for (let i = start; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 46 && point < 0) point = i;
      else if (c < 48 || c > 57) return undefined;
    }
    if (start >= n || point === start || point === n - 1) return undefined;
    return point < 0
      ? Decimal.fromParts(start === 1, text.slice(start), '', undefined)
      : Decimal.fromParts(start === 1, text.slice(start, point), text.slice(point + 1), undefined);
  }

  private static fromWritten(text: string): Decimal | null {
    const m = DECIMAL.exec(text.trim());
    if (!m) return null;
    const [, sign, intPart = '', fracPart = '', exp] = m;
    if (intPart === '' && fracPart === '') return null;
    return Decimal.fromParts(sign === '-', intPart, fracPart, exp);
  }

  /** From the parts of a decimal already matched (digits only; `exponent` as written, or undefined). */
  static fromParts(negative: boolean, intPart: string, fracPart: string, exponent: string | undefined, written?: string): Decimal {
    let scale = fracPart.length - (exponent ? Number(exponent) : 0);
    let digits = BigInt((intPart || '0') + fracPart);
    if (scale < 0) {
      digits *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(negative ? -digits : digits, scale, exponent === undefined ? written : undefined);
  }

  /**
   * Whether `text` (a database numeric as PostgreSQL writes it) is exactly the text this was read
   * from: then the two are the same number at the same scale, with nothing to parse.
   */
  writtenAs(text: string | null): boolean {
    return this.written !== undefined && this.written === text;
  }

  static of(text: string): Decimal {
    const d = Decimal.parse(text);
    if (!d) throw new TypeError(`not a decimal: ${text}`);
    return d;
  }

  private rescale(scale: number): bigint {
    // Most comparisons are of prices of one column's scale: no power of ten to build.
    return scale === this.scale ? this.coefficient : this.coefficient * pow10(scale - this.scale);
  }

  compare(other: Decimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescale(scale);
    const b = other.rescale(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Decimal): boolean {
    return this.compare(other) === 0;
  }

  plus(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(scale) + other.rescale(scale), scale);
  }

  minus(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(scale) - other.rescale(scale), scale);
  }

  times(other: Decimal): Decimal {
    return new Decimal(this.coefficient * other.coefficient, this.scale + other.scale);
  }

  abs(): Decimal {
    return this.coefficient < 0n ? new Decimal(-this.coefficient, this.scale) : this;
  }

  isNegative(): boolean {
    return this.coefficient < 0n;
  }

  isZero(): boolean {
    return this.coefficient === 0n;
  }

  /** Rounds half away from zero, as PostgreSQL does when it stores into numeric(p, scale). */
  round(scale: number): Decimal {
    if (scale >= this.scale) return this;
    const divisor = pow10(this.scale - scale);
    const negative = this.coefficient < 0n;
    const magnitude = negative ? -this.coefficient : this.coefficient;
    let q = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) q += 1n;
    return new Decimal(negative ? -q : q, scale);
  }

  /** Shortest plain form: no exponent, no trailing fractional zeros (`0.10000000` -> `0.1`). */
  toString(): string {
    // Made once: a finding's message and its JSON evidence write the same decimals.
    this.text ??= this.plain();
    return this.text;
  }

  private plain(): string {
    const negative = this.coefficient < 0n;
    let digits = (negative ? -this.coefficient : this.coefficient).toString();
    let scale = this.scale;
    // The trailing zeros counted first and cut once (a product of prices has many).
    let end = digits.length;
    while (scale > 0 && end > 1 && digits.charCodeAt(end - 1) === 48) {
      end -= 1;
      scale -= 1;
    }
    if (end < digits.length) digits = digits.slice(0, end);
    if (digits === '0') return '0';
    if (scale > 0) {
      digits = digits.padStart(scale + 1, '0');
      digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    }
    return negative ? `-${digits}` : digits;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A database numeric (text) in its shortest exact form, for evidence: "0.10000000" -> "0.1". */
export function decimalText(value: string | null): string | null {
  if (value === null) return null;
  return isNonFinite(value) ? value : Decimal.of(value).toString();
}

/** PostgreSQL's numeric (and float) can hold NaN and, unconstrained, ±Infinity: no price, and a finding. */
export function isNonFinite(value: string | null): boolean {
  return value === 'NaN' || value === 'Infinity' || value === '-Infinity';
}

/** An absolute amount (`0.0001`) or a share of the compared value (`0.5%`). */
export type Tolerance = { kind: 'absolute'; amount: Decimal } | { kind: 'percent'; percent: Decimal };

export function parseTolerance(text: string): Tolerance | null {
  const trimmed = text.trim();
  const isPercent = trimmed.endsWith('%');
  const value = Decimal.parse(isPercent ? trimmed.slice(0, -1) : trimmed);
  if (!value || value.isNegative()) return null;
  return isPercent ? { kind: 'percent', percent: value } : { kind: 'absolute', amount: value };
}

const HUNDREDTH = Decimal.of('0.01');

/** True when a and b differ by no more than the tolerance; a percentage is of the larger magnitude. */
export function withinTolerance(a: Decimal, b: Decimal, tolerance: Tolerance): boolean {
  const difference = a.minus(b).abs();
  if (tolerance.kind === 'absolute') return difference.compare(tolerance.amount) <= 0;
  const larger = a.abs().compare(b.abs()) >= 0 ? a.abs() : b.abs();
  return difference.compare(larger.times(tolerance.percent).times(HUNDREDTH)) <= 0;
}
