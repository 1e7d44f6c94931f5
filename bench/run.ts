// Runs every benchmark in bench/ (each bench/*.ts but this file) in sequence, each in its own
// Node process so one cannot warm or slow the next. `npm run bench`, or `npm run bench -- NAME…`
// to run only those (e.g. `npm run bench -- incident-create`).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
  .sort();
const wanted = process.argv.slice(2).map((a) => a.replace(/\.ts$/, ''));
const unknown = wanted.filter((w) => !all.includes(`${w}.ts`));
if (unknown.length > 0) {
  console.error(`No benchmark named ${unknown.join(', ')}; there are: ${all.map((f) => f.replace(/\.ts$/, '')).join(', ')}`);
  process.exit(2);
}
const files = wanted.length === 0 ? all : all.filter((f) => wanted.includes(f.replace(/\.ts$/, '')));

const runOne = (file: string) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, file)], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== bench/${file} ===\n`);
  const code = await runOne(file);
  if (code !== 0) failed.push(`${file} (exit ${code})`);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
