// Files ts-audit writes (-o, --write-baseline, --metrics-file): checked before any database work, and
// written whole through a temporary file that is removed again when the write fails.
import { constants } from 'node:fs';
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Writes to a temporary file beside the target and renames it into place: a reader never sees half a file. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
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
