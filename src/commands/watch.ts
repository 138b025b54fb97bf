// ts-audit watch: diff (when a dump is given) and/or the database checks, every --interval, over one
// connection that is re-established with backoff. An outage of the database or of the dump is
// reported and retried, never fatal. Metrics go to a text file (written atomically) and/or to
// /metrics on a loopback port; /healthz says whether the last run succeeded. Only findings that
// appeared or resolved since the previous run are reported.
import { identityKey } from '../checks/index.js';
import { type Server, createServer } from 'node:http';
import type { Client } from 'pg';
import type { Finding } from '../checks/types.js';
import { connectClient } from '../db/snapshot.js';
import { resolveTarget } from '../db/target.js';
import { DatabaseError, DumpError, UsageError } from '../errors.js';
import { fileProblem, writeAtomically } from '../files.js';
import { joined } from '../report/index.js';
import { renderPrometheus } from '../report/prometheus.js';
import type { Report } from '../report/types.js';
import type { AuditOptions, RunContext } from '../run/options.js';
import { runDbCommand } from './db-commands.js';
import { type DiffOptions, runDiff } from './diff.js';
import { releaseSpills } from '../report/findings.js';

export interface WatchOptions extends AuditOptions {
  intervalMs: number;
  /** With a dump, each run is a diff (re-reading the dump); `all` adds the database checks. */
  diff?: Omit<DiffOptions, keyof AuditOptions>;
  all?: boolean;
  metricsFile?: string;
  listen?: { host: string; port: number };
}

/**
 * At most this many HTTP connections at once (--listen): more are closed as they arrive, so idle or
 * slow clients cannot use up the file descriptors the audit runs need. A client must send its
 * request's headers within WATCH_HEADERS_TIMEOUT_MS.
 */
export const WATCH_MAX_CONNECTIONS = 32;
export const WATCH_HEADERS_TIMEOUT_MS = 10_000;

export interface WatchEvents {
  listening?(address: string): void;
  report(report: Report, changes: { appeared: Finding[]; resolved: Finding[]; first: boolean }): void;
  failure(message: string, retryInMs: number): void;
  /** The metrics file could not be written: reported, and tried again after the next run. */
  writeFailure?(message: string): void;
}

/** Runs until the signal aborts; resolves once the server is closed and the connection ended. */
export async function runWatch(opts: WatchOptions, ctx: RunContext, events: WatchEvents, signal: AbortSignal): Promise<void> {
  const target = resolveTarget(opts.db, ctx.env, opts.dbOrigin);
  let client: Client | undefined;
  let previous: Map<string, Finding> | undefined;
  let metrics = '# ts-audit: no run has completed yet\n';
  let healthy = false;
  let lastError = 'starting';
  let failures = 0;

  const server = opts.listen
    ? await serve(
        opts.listen,
        () => metrics,
        () => (healthy ? null : lastError),
      )
    : undefined;
  if (server && events.listening) {
    const a = server.address();
    events.listening(typeof a === 'object' && a ? `http://${a.address}:${a.port}` : String(a));
  }
  const dropClient = () => {
    const c = client;
    client = undefined;
    void c?.end().catch(() => undefined);
  };
  signal.addEventListener('abort', dropClient, { once: true });
  // A signal closes every HTTP connection at once: a client sending its headers slowly (or never)
  // must not hold the exit.
  const closeServer = () => {
    server?.close();
    server?.closeAllConnections();
  };
  signal.addEventListener('abort', closeServer, { once: true });
  // A metrics file that cannot be written (a full disk, a read-only file system, a missing folder)
  // never ends the watch: it is reported after each run and tried again, and /metrics keeps serving.
  const writeMetrics = async () => {
    if (!opts.metricsFile) return;
    try {
      await writeAtomically(opts.metricsFile, metrics);
    } catch (err) {
      events.writeFailure?.(`cannot write metrics to ${opts.metricsFile}: ${fileProblem(err, opts.metricsFile)}`);
    }
  };

  try {
    while (!signal.aborted) {
      const started = performance.now();
      try {
        if (!client) {
          client = await connectClient({ ...opts, target });
          client.on('error', () => undefined);
        }
        const runCtx = { ...ctx, client };
        const report = opts.diff ? await runDiff({ ...opts, ...opts.diff, all: opts.all }, runCtx) : await runDbCommand('check', opts, runCtx);
        const runSeconds = (performance.now() - started) / 1000;
        metrics = `${joined(renderPrometheus(report, runSeconds))}${upMetric(1)}`;
        healthy = true;
        failures = 0;
        await writeMetrics();
        const current = new Map([...report.findings].map((f) => [identityKey(f), f]));
        const appeared = [...current].filter(([k]) => !previous?.has(k)).map(([, f]) => f);
        const resolved = previous ? [...previous].filter(([k]) => !current.has(k)).map(([, f]) => f) : [];
        events.report(report, { appeared, resolved, first: previous === undefined });
        // The run's findings are in `current` now: its spill files (a large dump's) are read no more.
        releaseSpills();
        previous = current;
        await sleep(opts.intervalMs, signal);
      } catch (err) {
        if (signal.aborted) break;
        // Only an outage of the database or the dump is retried; a usage error or a bug ends the watch.
        if (!(err instanceof DatabaseError || err instanceof DumpError)) throw err;
        failures += 1;
        healthy = false;
        lastError = (err as Error).message;
        dropClient(); // reconnect on the next attempt
        const retryInMs = Math.min(opts.intervalMs, 1000 * 2 ** Math.min(failures - 1, 10));
        metrics = `${metrics.replace(/# HELP ts_audit_up[\s\S]*$/, '')}${upMetric(0)}`;
        await writeMetrics();
        events.failure(lastError, retryInMs);
        await sleep(retryInMs, signal);
      }
    }
  } finally {
    releaseSpills();
    dropClient();
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
  }
}

function upMetric(value: 0 | 1): string {
  return `# HELP ts_audit_up Whether the last run reached the database and the dump.\n# TYPE ts_audit_up gauge\nts_audit_up ${value}\n`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function serve(listen: { host: string; port: number }, metrics: () => string, unhealthy: () => string | null): Promise<Server> {
  const server = createServer(
    { headersTimeout: WATCH_HEADERS_TIMEOUT_MS, requestTimeout: 2 * WATCH_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000, keepAliveTimeout: 5000 },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics());
      } else if (path === '/healthz') {
        const problem = unhealthy();
        res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8' }).end(problem ? `unhealthy: ${problem}\n` : 'ok\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('ts-audit watch serves /metrics and /healthz\n');
      }
    },
  );
  server.maxConnections = WATCH_MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`--listen ${listen.host}:${listen.port}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`)),
    );
    server.listen(listen.port, listen.host, () => resolve(server));
  });
}
