// A map from string keys to a number, in typed arrays: a fraction of the memory a Map takes per key.
// The duplicate guard remembers every stop of a dump (a million, for a large one); the keys are kept
// exactly (their UTF-8 bytes in one growing buffer), so a duplicate is never guessed from a hash.

const EMPTY = -1;

export class KeyIndex {
  private slots = new Int32Array(1 << 10).fill(EMPTY);
  private hashes = new Uint32Array(1 << 9);
  private starts = new Uint32Array(1 << 9);
  private ends = new Uint32Array(1 << 9);
  private values = new Int32Array(1 << 9);
  private bytes = Buffer.alloc(1 << 14);
  private used = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): number | undefined {
    const i = this.find(key, hash(key));
    return i === EMPTY ? undefined : this.values[this.slots[i] as number];
  }

  /** Sets the key's value; returns the value it had, if it had one. */
  set(key: string, value: number): number | undefined {
    const h = hash(key);
    let i = this.find(key, h);
    if (i !== EMPTY) {
      const entry = this.slots[i] as number;
      const before = this.values[entry];
      this.values[entry] = value;
      return before;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const length = Buffer.byteLength(key);
    while (this.used + length > this.bytes.length) {
      const bigger = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if (this.count === this.hashes.length) this.growEntries();
    const entry = this.count++;
    this.hashes[entry] = h;
    this.starts[entry] = this.used;
    this.used += this.bytes.write(key, this.used);
    this.ends[entry] = this.used;
    this.values[entry] = value;
    i = this.slotFor(h);
    this.slots[i] = entry;
    return undefined;
  }

  /** The slot holding the key, or EMPTY. */
  private find(key: string, h: number): number {
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const entry = this.slots[i] as number;
      if (entry === EMPTY) return EMPTY;
      if (this.hashes[entry] === h && this.bytes.toString('utf8', this.starts[entry], this.ends[entry]) === key) return i;
    }
  }

  /** The first free slot for a hash. */
  private slotFor(h: number): number {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    for (let entry = 0; entry < this.count; entry++) this.slots[this.slotFor(this.hashes[entry] as number)] = entry;
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const widen = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.hashes = widen(this.hashes, (k) => new Uint32Array(k));
    this.starts = widen(this.starts, (k) => new Uint32Array(k));
    this.ends = widen(this.ends, (k) => new Uint32Array(k));
    this.values = widen(this.values, (k) => new Int32Array(k));
  }
}

/** FNV-1a over the UTF-16 code units, finished with a multiply so that the low bits mix. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

/**
 * A map from (exchange, symbol) pairs to a number. Nested Maps while small: no key is built, and V8
 * hashes each exchange and symbol string once (for a report's 32,000 findings that was 2 to 3 times
 * faster than a KeyIndex, which builds, hashes and decodes a key per lookup). Past `mapLimit` pairs it
 * moves them to a KeyIndex, whose memory stays bounded on a million.
 */
export class PairIndex {
  private maps: Map<string, Map<string, number>> | undefined = new Map();
  private index: KeyIndex | undefined;
  private count = 0;

  constructor(private readonly mapLimit = 100_000) {}

  get size(): number {
    return this.index ? this.index.size : this.count;
  }

  get(exchange: string, symbol: string): number | undefined {
    return this.index ? this.index.get(pairKey(exchange, symbol)) : this.maps?.get(exchange)?.get(symbol);
  }

  /** Sets the pair's value; returns the value it had, if it had one. */
  set(exchange: string, symbol: string, value: number): number | undefined {
    if (this.index) return this.index.set(pairKey(exchange, symbol), value);
    const maps = this.maps as Map<string, Map<string, number>>;
    let symbols = maps.get(exchange);
    if (!symbols) maps.set(exchange, (symbols = new Map()));
    const before = symbols.get(symbol);
    symbols.set(symbol, value);
    if (before === undefined && ++this.count > this.mapLimit) {
      const index = new KeyIndex();
      for (const [e, bySymbol] of maps) for (const [s, v] of bySymbol) index.set(pairKey(e, s), v);
      this.index = index;
      this.maps = undefined;
    }
    return before;
  }
}

/** One key per pair, whatever characters the two hold: the exchange's length tells where it ends. */
const pairKey = (exchange: string, symbol: string) => `${exchange.length}:${exchange}${symbol}`;
