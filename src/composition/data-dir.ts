import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VAPID_FILE } from '../alerting/web-push.ts';
import { DB_FILE } from '../store/sqlite/open-sqlite.ts';

/** Where the passwords made on the first start are written, once (`writeFirstStartPasswords`). */
export const PASSWORDS_FILE = 'first-start-passwords.txt';

/**
 * The files the product writes into a data dir: the database with every file SQLite keeps beside
 * it, the push keys and the first-start passwords. Nothing else in the directory is the product's.
 */
const OWN_FILES = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}-journal`, VAPID_FILE, PASSWORDS_FILE];

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
 * directory 0700 and the product's own files in it 0600 (the database with its -wal and -shm files,
 * the push keys, the first-start passwords), whatever the umask was when they were made. Anything
 * else in it is left as it is: `--data-dir .` or `~` must not take the exec bits off a user's files.
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
  for (const name of OWN_FILES) {
    const path = join(dir, name);
    let stat;
    try {
      // lstat: a link is neither followed nor changed (its target may be anyone's file).
      stat = lstatSync(path);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ENOENT') continue;
      throw e;
    }
    if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
