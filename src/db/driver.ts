// node-postgres, loaded on first use (--help and the file-only commands never need it).
import type pgModule from 'pg';

let loading: Promise<typeof pgModule> | undefined;

/**
 * pg decides at load time whether it runs in a Cloudflare Worker: where `navigator` is missing (Node
 * 20; Node 21+ defines it) it constructs a fetch `Response` to find out, which loads undici on every
 * run. A `navigator` that says Node.js answers the question; it exists only while pg
 * loads, so nothing else sees it.
 */
export function loadPg(): Promise<typeof pgModule> {
  loading ??= (async () => {
    const g = globalThis as { navigator?: unknown };
    const stand = g.navigator === undefined;
    if (stand) Object.defineProperty(g, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true, writable: true });
    try {
      return (await import('pg')).default;
    } finally {
      if (stand) delete g.navigator;
    }
  })();
  return loading;
}
