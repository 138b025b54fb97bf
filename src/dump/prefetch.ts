// Reads the first stops of a dump while the database works.
import type { DumpReader, MemoryStop } from './types.js';

/**
 * Up to PREFETCH_STOPS stops are parsed as soon as the dump is open, while diff waits for its queries
 * (otherwise the process sits idle waiting on the database, then parses the dump). The rest is read as
 * before, one at a time after the queries: memory stays bounded whatever the dump's size.
 */
export const PREFETCH_STOPS = 32_768;

export function prefetched(reader: DumpReader, limit = PREFETCH_STOPS, after: Promise<unknown> = Promise.resolve()): DumpReader {
  const source = reader.stops()[Symbol.asyncIterator]();
  const buffered: MemoryStop[] = [];
  let ended = false;
  // Held until the stops are asked for: a bad line surfaces where it did, after the queries.
  let failure: { error: unknown } | undefined;
  const filling = (async () => {
    // `after`: what must not wait for the parsing (diff's connection, whose every round trip would).
    await after.catch(() => undefined);
    while (buffered.length < limit) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        return;
      }
      buffered.push(next.value);
    }
  })().catch((error: unknown) => {
    failure = { error };
  });
  let taken = false;
  return {
    source: reader.source,
    header: () => reader.header(),
    ...(reader.lifecycles ? { lifecycles: () => reader.lifecycles?.() } : {}),
    // The reader itself is closed by whoever opened it.
    async *stops() {
      if (taken) throw new Error('the stops of a prefetched dump can be read once');
      taken = true;
      await filling;
      // Handed out oldest first, and let go of as they are.
      for (let i = 0; i < buffered.length; i++) {
        const stop = buffered[i] as MemoryStop;
        (buffered as (MemoryStop | undefined)[])[i] = undefined;
        yield stop;
      }
      buffered.length = 0;
      if (failure) throw failure.error;
      if (ended) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
}
