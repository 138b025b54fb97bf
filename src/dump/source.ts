// Where a dump comes from: a file, standard input, or an http(s) URL. Each is read as a stream of lines.
import { close as fsClose, constants, createReadStream, fstatSync, open as fsOpen } from 'node:fs';
import { Socket } from 'node:net';
import { notRegular, readProblem } from '../files.js';
import { Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DumpError } from '../errors.js';
import { maskUrl } from '../mask.js';

export interface Line {
  text: string;
  number: number;
  /** The line goes on in the next Line (a line longer than the piece size: a single-line document). */
  partial?: boolean;
  /** The line was longer than the cap (LineCap): this is its start, the rest was skipped. */
  cut?: boolean;
}

/** A cap on the length of a line: its first `maxChars` characters are kept, the rest is skipped. */
export interface LineCap {
  maxChars: number;
  /** Called once per line that was cut. */
  onCut?(lineNumber: number): void;
}

/** Dumps are read in lines of at most this many characters: a longer one comes in pieces. */
export const DUMP_PIECE_CHARS = 1 << 20;

export interface OpenedSource {
  name: string;
  lines: AsyncGenerator<Line>;
}

/** The default cap on a dump read from a URL (--dump-max-bytes): 1 GiB. */
export const DEFAULT_DUMP_MAX_BYTES = 1 << 30;
/** How long reading a dump URL may take by default (--dump-timeout). */
export const DEFAULT_DUMP_TIMEOUT_MS = 30_000;

export async function openSource(spec: string, timeoutMs: number, maxBytes = DEFAULT_DUMP_MAX_BYTES): Promise<OpenedSource> {
  if (spec === '-') {
    // On a terminal nothing may be coming: say what ts-audit is waiting for, on stderr.
    if (process.stdin.isTTY) process.stderr.write('ts-audit: reading the dump from standard input (paste it, then Ctrl-D; Ctrl-C to stop)…\n');
    return { name: 'stdin', lines: splitLines(process.stdin, 'stdin', undefined, DUMP_PIECE_CHARS) };
  }
  if (/^https?:\/\//i.test(spec)) return openUrl(spec, timeoutMs, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once, instead of waiting in a thread where
    // no signal can reach it (SIGTERM and SIGINT were ignored until a writer came).
    fd = await new Promise<number>((resolve, reject) => fsOpen(spec, constants.O_RDONLY | constants.O_NONBLOCK, (e, n) => (e ? reject(e) : resolve(n))));
  } catch (err) {
    throw new DumpError(`cannot read dump ${spec}: ${readProblem(err)}`, { cause: err });
  }
  const st = fstatSync(fd);
  const closeFd = () => new Promise<void>((resolve) => fsClose(fd, () => resolve()));
  if (st.isFIFO()) {
    // A pipe (a FIFO, or <(command) as /dev/fd/N) is read on the event loop: it waits for its writer
    // as long as it must, and a signal still ends the run.
    const socket = new Socket({ fd, readable: true, writable: false });
    return { name: spec, lines: splitLines(socket, spec, undefined, DUMP_PIECE_CHARS, async () => void socket.destroy()) };
  }
  const kind = notRegular(st);
  if (kind) {
    await closeFd();
    throw new DumpError(`cannot read dump ${spec}: ${kind === 'a folder' ? 'it is a folder, not a file' : `it is ${kind}, not a regular file or a pipe`}`);
  }
  // Read through the descriptor just checked (never the path again, which could be swapped meanwhile).
  const stream = createReadStream('', { fd, autoClose: true });
  // The file is closed when its lines end, fail or are abandoned (not at garbage collection).
  const close = () => new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', () => resolve()).destroy()));
  return { name: spec, lines: splitLines(stream, spec, undefined, DUMP_PIECE_CHARS, close) };
}

async function openUrl(url: string, timeoutMs: number, maxBytes: number): Promise<OpenedSource> {
  const name = maskUrl(url);
  // fetch() refuses URLs with credentials: send them as Basic authentication instead.
  const target = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json, application/x-ndjson' };
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  let response: Response;
  try {
    response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs), headers });
  } catch (err) {
    throw new DumpError(`cannot fetch dump ${name}: ${describeFetchError(err, timeoutMs)}`, { cause: err });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new DumpError(`dump URL ${name} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  if (!response.body) throw new DumpError(`dump URL ${name} answered with no body`);
  // A size cap as well as a time cap: an endless or enormous answer is refused, not held.
  const tooLarge = () => new DumpError(`dump URL ${name} sent more than ${sizeText(maxBytes)} (--dump-max-bytes)`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  let received = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > maxBytes) done(tooLarge());
      else done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('error', (e) => capped.destroy(e));
  capped.on('error', () => body.destroy());
  return { name, lines: splitLines(body.pipe(capped), name, timeoutMs, DUMP_PIECE_CHARS) };
}

/** 1073741824 -> "1 GiB"; 1500 -> "1500 bytes". */
export function sizeText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs / 1000}s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/**
 * Splits a byte stream into lines (LF or CRLF) without holding more than one chunk in memory: the
 * stream is read only as fast as lines are consumed. (readline's async iterator buffers ahead of a
 * slow consumer: on a 2 GiB log it ran out of memory.)
 */
export async function* splitLines(
  stream: AsyncIterable<Buffer | string>,
  name: string,
  timeoutMs?: number,
  pieceChars?: number,
  onEnd?: () => Promise<void>,
  cap?: LineCap,
): AsyncGenerator<Line> {
  // onEnd (closing the file) runs however the lines end: read to the end, failed or abandoned.
  try {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let number = 0;
    // Past the cap of the current line: its text is dropped until the next line end.
    let skipping = false;
    const max = cap?.maxChars ?? Number.POSITIVE_INFINITY;
    try {
      for await (const chunk of stream) {
        // Only the new text is searched for a line end, and the pending part of a line is only
        // appended to: a line of many chunks (a single-line JSON document) is copied once, not once
        // per chunk.
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        let start = 0;
        let nl: number;
        while ((nl = text.indexOf('\n', start)) >= 0) {
          if (skipping) {
            skipping = false;
            start = nl + 1;
            continue;
          }
          // The line's length without its CR, known before any of it is copied.
          const crlf = nl > start ? text.charCodeAt(nl - 1) === 13 : pending.endsWith('\r');
          const length = pending.length + (nl - start) - (crlf ? 1 : 0);
          if (length > max) {
            const head = (pending + text.slice(start, start + max)).slice(0, max);
            pending = '';
            start = nl + 1;
            cap?.onCut?.(number + 1);
            yield { text: head, number: ++number, cut: true };
            continue;
          }
          const line = pending + text.slice(start, nl);
          pending = '';
          start = nl + 1;
          yield { text: crlf ? line.slice(0, -1) : line, number: ++number };
        }
        if (skipping) continue;
        pending += text.slice(start, start + max + 2 - pending.length);
        // Longer than the cap even without a CR at its end: its start is handed on now, the rest is
        // skipped as it comes, so memory holds at most the cap and one chunk.
        if (pending.length > max + 1 || (pending.length === max + 1 && !pending.endsWith('\r'))) {
          cap?.onCut?.(number + 1);
          yield { text: pending.slice(0, max), number: ++number, cut: true };
          pending = '';
          skipping = true;
          continue;
        }
        if (pieceChars !== undefined && pending.length >= pieceChars) {
          // A line this long is handed on in pieces (a trailing CR stays with the next piece).
          const cut = pending.endsWith('\r') ? pending.length - 1 : pending.length;
          yield { text: pending.slice(0, cut), number: number + 1, partial: true };
          pending = pending.slice(cut);
        }
      }
    } catch (err) {
      if (err instanceof DumpError) throw err;
      const e = err as Error;
      const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${(timeoutMs ?? 0) / 1000}s` : readProblem(e);
      throw new DumpError(`cannot read ${name}: ${why}`, { cause: err });
    }
    pending += decoder.end();
    if (skipping) pending = '';
    if (pending !== '') yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, number: ++number };
  } finally {
    await onEnd?.();
  }
}
