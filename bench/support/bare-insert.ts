// The floor of a durable write, with nothing around it: one better-sqlite3 connection in its own
// process inserting one ~400-byte JSON row per commit (autocommit), in WAL mode with
// synchronous=FULL, so every commit is fsynced before the next insert starts. Run by
// bench/durable-create.ts over IPC:
//
//   parent → child  {type:'open', dbPath, seed}       child → parent  {type:'opened', journalMode, synchronous, rowBytes}
//   parent → child  {type:'run', seconds}             child → parent  {type:'ran', inserts, seconds, latencies}
//   parent → child  {type:'count'}                    child → parent  {type:'count', rows}
//   parent → child  {type:'close'}                    the child closes the database and exits
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { prng } from './workload.ts';

export type ToBare =
  { type: 'open'; dbPath: string; seed: number } | { type: 'run'; seconds: number } | { type: 'count' } | { type: 'close' };
export type FromBare =
  | { type: 'opened'; journalMode: string; synchronous: number; rowBytes: number }
  | { type: 'ran'; inserts: number; seconds: number; latencies: number[] }
  | { type: 'count'; rows: number }
  | { type: 'failed'; message: string };

/** Row bodies of exactly `bytes` bytes: an incident-like JSON object whose notes are padded to size. */
export function rowBodies(count: number, bytes: number, seed: number): string[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const body = {
      type: 'IncidentReceived',
      incidentId: `inc-${seed}-${i}`,
      at: new Date(Date.UTC(2025, 5, 1) + i * 1000).toISOString(),
      location: { lat: Math.round((37.708 + rnd() * 0.1) * 1e6) / 1e6, lon: Math.round((-122.513 + rnd() * 0.156) * 1e6) / 1e6 },
      nature: ['cardiac_arrest', 'medical', 'structure_fire'][Math.floor(rnd() * 3)],
      priority: 1 + Math.floor(rnd() * 3),
      address: `${1 + Math.floor(rnd() * 3000)} Valencia St`,
      callbackNumber: `+1 415 555 ${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`,
      notes: '',
    };
    const bare = JSON.stringify(body).length;
    body.notes = 'Caller reports smoke on the second floor, occupants may be inside. '
      .repeat(10)
      .slice(0, Math.max(0, bytes - bare));
    return JSON.stringify(body);
  });
}

const reply = (m: FromBare, then?: () => void) => {
  if (process.send && process.connected) process.send(m, undefined, undefined, () => then?.());
};

// Only when run as the child process (this file is also imported for its types and rowBodies).
if (process.send !== undefined) {
  let db: Database.Database | undefined;
  let insert: Database.Statement<[string, string]> | undefined;
  let bodies: string[] = [];
  process.on('disconnect', () => {
    db?.close();
    process.exit(0);
  });
  process.on('message', (raw) => {
    const m = raw as ToBare;
    try {
      switch (m.type) {
        case 'open': {
          db = new Database(m.dbPath);
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = FULL');
          db.exec('CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
          insert = db.prepare<[string, string]>('INSERT INTO rows (id, data) VALUES (?, ?)');
          bodies = rowBodies(256, 400, m.seed);
          reply({
            type: 'opened',
            journalMode: String(db.pragma('journal_mode', { simple: true })),
            synchronous: Number(db.pragma('synchronous', { simple: true })),
            rowBytes: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length,
          });
          break;
        }
        case 'run': {
          if (insert === undefined) throw new Error('run before open');
          // A tight loop: each run() is its own transaction, committed (and fsynced) before it returns.
          const latencies: number[] = [];
          const t0 = performance.now();
          const end = t0 + m.seconds * 1000;
          let i = 0;
          for (let now = t0; now < end;) {
            insert.run(randomUUID(), bodies[i++ % bodies.length]!);
            const after = performance.now();
            latencies.push(after - now);
            now = after;
          }
          reply({ type: 'ran', inserts: i, seconds: (performance.now() - t0) / 1000, latencies });
          break;
        }
        case 'count': {
          const rows = (db?.prepare('SELECT count(*) AS n FROM rows').get() as { n: number } | undefined)?.n ?? 0;
          reply({ type: 'count', rows });
          break;
        }
        case 'close':
          db?.close();
          db = undefined;
          process.exit(0);
      }
    } catch (e) {
      reply({ type: 'failed', message: e instanceof Error ? e.message : String(e) }, () => process.exit(1));
    }
  });
}
