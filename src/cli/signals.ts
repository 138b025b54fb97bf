// The one place a command waits for SIGINT or SIGTERM: the end of a command that runs until stopped
// (watch, demo --keep). The query cancellation of every other command is src/interrupt.ts.

/** Calls stop on the first SIGINT or SIGTERM; the returned function removes the handlers. */
export function onStop(stop: () => void): () => void {
  const handler = () => {
    off();
    stop();
  };
  const off = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return off;
}

/** Resolves on the first SIGINT or SIGTERM. */
export const untilStopped = (): Promise<void> => new Promise((resolve) => onStop(resolve));
