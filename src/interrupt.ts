// SIGINT and SIGTERM during a one-shot run: the query running on the server is cancelled (a cancel
// request, as psql sends on Ctrl-C: the backend stops at once instead of finishing a long query
// for no one), nothing more is written, temporary files are removed, and the exit code is 130 or 143.
// `watch` and `demo` keep their own handlers (watch ends cleanly with 0; demo stops its server).
import { rmSync } from 'node:fs';
import type { Client } from 'pg';
import { loadPg } from './db/driver.js';

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

let received: NodeJS.Signals | undefined;
const clients = new Map<Client, { host: string; port: number }>();
/** Files to remove if the process ends before they are renamed into place. */
const temporary = new Set<string>();

/** The signal that interrupted the run, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

export function exitCodeOf(signal: NodeJS.Signals): number {
  return SIGNAL_EXIT[signal] ?? 1;
}

/** A connection whose running query a signal cancels; returns the function that forgets it. */
export function trackClient(client: Client, where: { host: string; port: number }): () => void {
  clients.set(client, where);
  return () => clients.delete(client);
}

export function trackTemporary(path: string): () => void {
  temporary.add(path);
  return () => temporary.delete(path);
}

/** What node-postgres keeps about a connection: the backend's key, and whether a query is running. */
interface ClientState {
  processID: number | null;
  secretKey: number | null;
  _activeQuery: unknown;
}
interface RawConnection {
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: string, listener: () => void): void;
}

async function cancelRunningQueries(): Promise<void> {
  const { Connection } = (await loadPg()) as unknown as { Connection: new () => RawConnection };
  await Promise.all(
    [...clients].map(
      ([client, where]) =>
        new Promise<void>((resolve) => {
          const state = client as unknown as ClientState;
          if (!state._activeQuery || state.processID === null || state.secretKey === null) return resolve();
          // A cancel request on a connection of its own, as psql sends on Ctrl-C: it needs no login,
          // only the backend's key; the server closes that connection when it has read it.
          const connection = new Connection();
          connection.on('error', () => resolve());
          connection.on('end', () => resolve());
          connection.on('connect', () => connection.cancel(state.processID as number, state.secretKey as number));
          setTimeout(resolve, 2000).unref();
          if (where.host.startsWith('/')) connection.connect(`${where.host}/.s.PGSQL.${where.port}`);
          else connection.connect(where.port, where.host);
        }),
    ),
  );
}

export function installInterruptHandlers(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(exitCodeOf(received)); // a second signal: now
    received = signal;
    // The run unwinds from the cancelled query; if nothing is waiting on the server, it is ended here.
    void cancelRunningQueries().finally(() => setTimeout(() => process.exit(exitCodeOf(signal)), 1500).unref());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const path of temporary) rmSync(path, { force: true });
  });
}

/** Thrown where a run notices the signal between two steps: it unwinds like any error, without a message. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/** Throws when a signal arrived: called before each query and each piece of output. */
export function checkInterrupted(): void {
  if (received) throw new Interrupted();
}
