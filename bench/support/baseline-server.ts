// The baseline the benchmarks compare Samaritan against: the floor of the same durable work, and
// nothing more. One Fastify server, no plugins, no logging:
//   POST /items      validate the JSON body against a JSON schema of the same shape as Samaritan's
//                    CreateIncidentBody, insert one row into SQLite (WAL, synchronous=FULL, so the
//                    commit is fsynced before the answer), answer 201 {id, receivedAt}.
//   GET  /items/:id  read that row by primary key and answer it as JSON.
//   GET  /healthz    the row count, for the start-up probe and the write check.
// Run by bench/incident-create.ts: node --import tsx bench/support/baseline-server.ts --port P --data-dir D
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } } });
const port = Number(values.port);
const dataDir = values['data-dir'];
if (!Number.isInteger(port) || port <= 0 || dataDir === undefined) {
  process.stderr.write('usage: baseline-server --port PORT --data-dir DIR\n');
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

const db = new Database(join(dataDir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// Refuse to measure anything weaker than the product's durability.
if (db.pragma('journal_mode', { simple: true }) !== 'wal' || db.pragma('synchronous', { simple: true }) !== 2) {
  throw new Error('baseline: SQLite is not in WAL mode with synchronous=FULL');
}
db.exec(`CREATE TABLE IF NOT EXISTS items (
  id          TEXT PRIMARY KEY,
  received_at TEXT NOT NULL,
  nature      TEXT NOT NULL,
  data        TEXT NOT NULL
)`);
const insert = db.prepare<[string, string, string, string]>('INSERT INTO items (id, received_at, nature, data) VALUES (?, ?, ?, ?)');
const byId = db.prepare<[string], { id: string; received_at: string; data: string }>('SELECT id, received_at, data FROM items WHERE id = ?');
const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items');

const text = (maxLength: number) => ({ type: 'string', maxLength });
const body = {
  type: 'object',
  required: ['location', 'nature'],
  additionalProperties: false,
  properties: {
    location: {
      type: 'object',
      required: ['lat', 'lon'],
      additionalProperties: false,
      properties: {
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lon: { type: 'number', minimum: -180, maximum: 180 },
      },
    },
    nature: { type: 'string', pattern: '^[a-z_]{1,40}$' },
    priority: { enum: [1, 2, 3] },
    address: text(300),
    floor: text(50),
    access: text(500),
    callerName: text(200),
    callbackNumber: { type: 'string', maxLength: 40, pattern: '^[0-9+()\\-. ]*$' },
    notes: text(4000),
  },
} as const;

interface Body {
  location: { lat: number; lon: number };
  nature: string;
}

const server = Fastify({ logger: false, bodyLimit: 64 * 1024 });

server.post<{ Body: Body }>('/items', { schema: { body } }, (req, reply) => {
  const id = randomUUID();
  const receivedAt = new Date().toISOString();
  insert.run(id, receivedAt, req.body.nature, JSON.stringify(req.body));
  return reply.code(201).header('location', `/items/${id}`).send({ id, receivedAt });
});

server.get<{ Params: { id: string } }>('/items/:id', (req, reply) => {
  const row = byId.get(req.params.id);
  if (!row) return reply.code(404).send({ error: 'not found' });
  return reply.send({ id: row.id, receivedAt: row.received_at, ...(JSON.parse(row.data) as object) });
});

server.get('/healthz', () => ({ status: 'ok', rows: count.get()?.n ?? 0 }));

await server.listen({ port, host: '127.0.0.1' });

const stop = async () => {
  await server.close();
  db.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
