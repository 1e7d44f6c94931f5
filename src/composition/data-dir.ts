import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The data directory cannot be made, opened or written: said in one sentence, without a stack. */
export class DataDirUnusable extends Error {
  override readonly name = 'DataDirUnusable';
}

/** "ENOENT: no such file or directory, mkdir '/x'" → "no such file or directory (ENOENT)". */
export function fileErrorText(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  const m = /^([A-Z]+): ([^,]+)/.exec(message);
  return m ? `${m[2]} (${m[1]})` : message;
}

/**
 * Makes the data directory when it is missing and closes it to everyone but its owner: the
 * directory and any under it 0700, every file 0600 (the database with its -wal and -shm files, the
 * push keys, the first-start passwords), whatever the umask was when they were made.
 */
export function secureDataDir(dir: string): void {
  try {
    makeDir(dir);
    tighten(dir);
  } catch (e) {
    throw new DataDirUnusable(`cannot use the data directory ${dir}: ${fileErrorText(e)}`);
  }
}

/**
 * mkdir -p by hand: Node's recursive mkdir never returns under /proc (the parent "exists", the
 * child cannot be made, and it tries again for ever); here a second refusal is final.
 */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
    return;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw e;
  }
  makeDir(dirname(dir));
  mkdirSync(dir, { mode: 0o700 });
}

function tighten(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // lstat: a link is neither followed nor changed (its target may be anyone's file).
    const stat = lstatSync(path);
    if (stat.isDirectory()) tighten(path);
    else if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
