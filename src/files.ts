// Files ts-audit writes (-o, --write-baseline, --metrics-file): checked before any database work, and
// written whole through a temporary file that is removed again when the write fails.
import { constants, readFileSync, statSync } from 'node:fs';
import { access, open, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { checkInterrupted, trackTemporary } from './interrupt.js';

/** How much of a text is encoded before each write. */
export const WRITE_PIECE_BYTES = 1 << 16;

/**
 * Chunks encoded as UTF-8 into pieces of at most WRITE_PIECE_BYTES (a chunk that could be longer on
 * its own, as it is): few writes, never the whole text at once, and each byte copied once (joining the
 * chunks into a string first copied every byte of a large report once more). Each piece is a new
 * buffer: a stream may still hold the one before.
 */
export function* pieces(chunks: Iterable<string>): Generator<Buffer | string> {
  let piece = Buffer.allocUnsafe(WRITE_PIECE_BYTES);
  let used = 0;
  for (const chunk of chunks) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    if (chunk.length * 3 > WRITE_PIECE_BYTES - used) {
      if (used > 0) {
        yield piece.subarray(0, used);
        piece = Buffer.allocUnsafe(WRITE_PIECE_BYTES);
        used = 0;
      }
      if (chunk.length * 3 > WRITE_PIECE_BYTES) {
        yield chunk;
        continue;
      }
    }
    used += piece.write(chunk, used);
  }
  if (used > 0) yield piece.subarray(0, used);
}

async function writeTo(path: string, flags: 'wx' | 'a', chunks: string | Iterable<string>): Promise<void> {
  const file = await open(path, flags, 0o644);
  await writeAll(file, chunks);
}

async function writeAll(file: import('node:fs/promises').FileHandle, chunks: string | Iterable<string>): Promise<void> {
  try {
    // writeFile, unlike write, loops until every byte of the piece is written.
    for (const piece of pieces(typeof chunks === 'string' ? [chunks] : chunks)) {
      checkInterrupted();
      await file.writeFile(piece);
    }
  } finally {
    await file.close();
  }
}

/** Appends the chunks to a file as they come. */
export const appendChunks = (path: string, chunks: Iterable<string>) => writeTo(path, 'a', chunks);

/**
 * A new temporary file beside `path`, created with O_CREAT | O_EXCL ('wx') under a random name: a
 * file or symbolic link someone planted under a name they guessed (in /tmp or any shared folder) is
 * never opened, followed or overwritten. Tried again under another name if the name is taken.
 */
async function createTemporary(path: string): Promise<{ tmp: string; file: import('node:fs/promises').FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { tmp, file: await open(tmp, 'wx', 0o644) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw err;
    }
  }
}

/** Writes to a temporary file beside the target and renames it into place: a reader never sees half a file. */
export async function writeAtomically(path: string, text: string | Iterable<string>): Promise<void> {
  const { tmp, file } = await createTemporary(path);
  // Removed on failure here, and at exit if a signal ends the process mid-write.
  const forget = trackTemporary(tmp);
  try {
    await writeAll(file, text);
    // rename replaces a link at `path` itself; it never writes through one.
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    forget();
  }
}

/** A plain sentence for what the file system said, instead of ENOENT or EISDIR. */
export function fileProblem(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `the folder ${dirname(resolve(path))} does not exist`;
    case 'EISDIR':
      return `${path} is a folder, not a file`;
    case 'ENOTDIR':
      return `a part of ${path} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    default:
      return (err as Error).message ?? String(err);
  }
}

/** Why a file could not be read, in plain words (never a bare ENOENT or EISDIR). */
export function readProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EIO':
      return 'an input/output error (a failing disk or network file system)';
    case 'ENOTREGULAR':
      return e.message;
    default:
      // Node prefixes its messages with the code ("EMFILE: too many open files, open 'x'"): keep the words.
      return (e.message ?? String(err)).replace(/^[A-Z]+: /, '').replace(/, \w+ '[^']*'$/, '');
  }
}

/** What a path is when it is not a regular file ("a FIFO (named pipe)", "a character device"); null for a file. */
export function notRegular(st: import('node:fs').Stats | null): string | null {
  if (!st || st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * A small file read whole (a config file, a baseline): refused at once unless it is a regular file,
 * since reading a FIFO with no writer would block the process where no signal can end it.
 */
export function readRegularFile(path: string): string {
  const kind = notRegular(statSync(path));
  if (kind) throw Object.assign(new Error(kind === 'a folder' ? 'it is a folder, not a file' : `it is ${kind}, not a regular file`), { code: 'ENOTREGULAR' });
  return readFileSync(path, 'utf8');
}

/** Null when a file can be written at path (created or replaced); else why not, in plain words. */
export async function whyUnwritable(path: string): Promise<string | null> {
  const folder = dirname(resolve(path));
  try {
    const target = await stat(path).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (target?.isDirectory()) return `${path} is a folder, not a file`;
    const parent = await stat(folder);
    if (!parent.isDirectory()) return `${folder} is a file, not a folder`;
    // The file is written beside itself and renamed: the folder must take new files.
    await access(folder, constants.W_OK);
    return null;
  } catch (err) {
    return fileProblem(err, path);
  }
}
