import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from './children.ts';

const versionOf = (pkg: string): string => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};

const run = (cmd: string, args: readonly string[]): string | undefined => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** The filesystem a directory lives on: type, device and mount options (fsync cost depends on it). */
export function filesystemOf(dir: string): { type: string; detail: string } {
  const line = run('findmnt', ['-n', '-o', 'FSTYPE,SOURCE,OPTIONS', '-T', dir]);
  if (line) {
    const [fstype = '?', ...rest] = line.split(/\s+/);
    return { type: fstype, detail: rest.join(' ') };
  }
  const statType = run('stat', ['-f', '-c', '%T', dir]);
  return { type: statType ?? 'unknown', detail: '' };
}

/** Facts about this machine that a reader needs before comparing figures from two runs. */
export function machineFacts(tmpDir: string): string[] {
  const fs = filesystemOf(tmpDir);
  const mem = new Database(':memory:');
  const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  mem.close();
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  const lines = [
    `nproc:       ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`,
    `loadavg:     ${load1.toFixed(2)} ${load5.toFixed(2)} ${load15.toFixed(2)} (1, 5, 15 min) before the benchmark started`,
    `memory:      ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `os:          ${type()} ${release()}`,
    `node:        ${process.version}`,
    `versions:    fastify ${versionOf('fastify')}, better-sqlite3 ${versionOf('better-sqlite3')} (SQLite ${sqlite}), autocannon ${versionOf('autocannon')}`,
    `temp dir:    ${tmpDir}`,
    `filesystem:  ${fs.type}${fs.detail ? ` (${fs.detail})` : ''}`,
    `load:        autocannon runs in this process, on the same CPUs as the server under test`,
  ];
  if (load1 > availableParallelism()) {
    lines.push(
      `WARNING:     1-min load ${load1.toFixed(1)} on ${availableParallelism()} CPUs: the machine was busy just before (a previous benchmark, or other processes;` +
        ` if the latter, absolute figures are low and noisy: compare ratios, or run again on a quiet machine)`,
    );
  }
  if (/^(tmpfs|ramfs|overlay)$/.test(fs.type)) {
    lines.push(`WARNING:     ${fs.type} may make fsync nearly free; set BENCH_TMPDIR to a directory on a real disk`);
  }
  return lines;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export const fmtRate = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '-');
export const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '-');
export const fmtRatio = (a: number, b: number): string => (Number.isFinite(a / b) && b !== 0 ? (a / b).toFixed(2) : '-');
