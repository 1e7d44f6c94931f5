import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './centres.ts';

export interface PartnerRequest {
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Two partner centres on loopback, configured for the servers this test file starts (through
 * SAMARITAN_PARTNERS_FILE): "oakland" (EIDO) acknowledges every hand-over as its incident OAK-42,
 * "marin" (EMSI) refuses each with 422 InvalidDocument. Returns what they were sent.
 */
export async function partnerCentres(): Promise<PartnerRequest[]> {
  const received: PartnerRequest[] = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
      const refuse = req.url?.includes('marin') ?? false;
      res.writeHead(refuse ? 422 : 201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          refuse
            ? { error: { code: 'InvalidDocument', message: 'no location', details: { errors: [{ path: '/locationComponent', message: 'is required' }] } } }
            : { acknowledged: true, incidentId: 'OAK-42' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'partners-'));
  writeFileSync(
    join(dir, 'partners.json'),
    JSON.stringify({
      partners: [
        { id: 'oakland', name: 'Oakland Fire Dispatch', url: `http://127.0.0.1:${port}/oakland`, format: 'eido', keyEnv: 'TEST_PARTNER_KEY' },
        { id: 'marin', name: 'Marin County', url: `http://127.0.0.1:${port}/marin`, format: 'emsi', keyEnv: 'TEST_PARTNER_KEY' },
      ],
    }),
  );
  process.env['SAMARITAN_PARTNERS_FILE'] = join(dir, 'partners.json');
  process.env['TEST_PARTNER_KEY'] = 'a-test-key-of-at-least-thirty-two-chars';
  afterAll(() => {
    server.close();
    delete process.env['SAMARITAN_PARTNERS_FILE'];
  });
  return received;
}
