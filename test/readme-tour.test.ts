import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from './support/child-server.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The tour as a reader copies it: the shell block between the tour markers. */
const tour = (): string => {
  const marked = /<!-- tour:start -->\n```sh\n([\s\S]*?)```\n<!-- tour:end -->/.exec(README);
  if (!marked?.[1]) throw new Error('README.md has no tour block');
  return marked[1];
};

/** The unit ids and ETAs the README shows as the recommendation's answer, in its order. */
const shownCandidates = (): { unitId: string; etaS: number }[] => {
  const comment = tour().split('\n').filter((l) => l.startsWith('#')).join('\n');
  const shown = comment.slice(comment.indexOf('"candidates"'), comment.indexOf('"shortfalls"'));
  return [...shown.matchAll(/"unitId":"(\w+)","etaS":(\d+)/g)].map((m) => ({ unitId: m[1]!, etaS: Number(m[2]) }));
};

// Any failing request stops the tour: a reader would see an error where the README promises an answer.
const STRICT_CURL = 'curl() { command curl --fail-with-body "$@"; echo; }\n';

describe('the README tour, on a port and data directory of its own', () => {
  let server: ChildServer;
  let dataDir: string;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'samaritan-readme-'));
    server = await spawnServer(dataDir, { timeoutMs: 90_000 });
    run = await new Promise((resolve) => {
      execFile(
        'bash',
        ['-e', '-o', 'pipefail', '-c', STRICT_CURL + tour()],
        { cwd: ROOT, env: { ...process.env, PORT: String(server.port), D: dataDir }, timeout: 120_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }, 240_000);

  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs to the end, every request answered with success', () => {
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/VolunteerArrived\s+by volunteer demo-\d+ \(device\)/);
    expect(run.stdout).toMatch(/IncidentReceived\s+by token "me"/);
  });

  it('shows the candidates in the order and with the ETAs the server really answers', () => {
    const answer = run.stdout.split('\n').find((l) => l.startsWith('{"incidentId"') && l.includes('"candidates"'));
    expect(answer, run.stdout.slice(0, 2000)).toBeDefined();
    const real = (JSON.parse(answer!) as { candidates: { unitId: string; etaS: number }[] }).candidates;
    expect(shownCandidates()).toEqual(real.map(({ unitId, etaS }) => ({ unitId, etaS })));
  });
});
