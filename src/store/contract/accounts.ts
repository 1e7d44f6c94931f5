import { describe, expect, it } from 'vitest';
import type { RecordWrite } from '../record-writes.ts';
import type { Harness } from './harness.ts';
import { added, req, stored } from './test-model.ts';
import { tryToChange } from './snapshots.ts';
import { token, user } from './test-records.ts';

/** Users and credentials: written by record writes, read from the account store. */
export function accountRules(h: Harness): void {
  describe('accounts', () => {
    let n = 0;
    /** Appends one event of a fresh stream with `records`, as the audit event of an account change. */
    const write = async (...records: RecordWrite[]) =>
      stored(await h.events.append(req([added(`acct-${++n}`, 'audit')], undefined, { records })));

    it('user.add adds a user found by name and by id, and listed among users', async () => {
      await write({ type: 'user.add', user: user('U-2', 'bob', '2025-06-02T00:00:00.000Z') });
      await write({ type: 'user.add', user: user('U-1', 'ann', '2025-06-01T00:00:00.000Z') });
      expect(await h.store.accounts.userByName('ann')).toEqual(user('U-1', 'ann', '2025-06-01T00:00:00.000Z'));
      expect(await h.store.accounts.userById('U-2')).toEqual(user('U-2', 'bob', '2025-06-02T00:00:00.000Z'));
      expect(await h.store.accounts.userByName('nobody')).toBeUndefined();
      expect(await h.store.accounts.userById('U-404')).toBeUndefined();
      expect((await h.store.accounts.users()).map((u) => u.name).sort()).toEqual(['ann', 'bob']);
    });

    it('user.setRole changes a user’s role and nothing else', async () => {
      await write({ type: 'user.add', user: user('U-1', 'ann') });
      await write({ type: 'user.setRole', userId: 'U-1', role: 'supervisor' });
      expect(await h.store.accounts.userByName('ann')).toEqual({ ...user('U-1', 'ann'), role: 'supervisor' });
    });

    it('credential.add stores a token with every field; token(id) and tokens(kind) return it', async () => {
      const session = token('S-1', {
        kind: 'session',
        role: 'dispatcher',
        subject: 'U-1',
        csrf: 'csrf-1',
        expiresAt: '2025-06-01T18:00:00.000Z',
        createdAt: '2025-06-01T10:00:00.000Z',
      });
      const api = token('A-1', {
        kind: 'api',
        role: 'integration',
        scopes: ['incidents:read', 'events:read'],
        createdAt: '2025-06-01T11:00:00.000Z',
      });
      const { subject: _none, ...unowned } = api;
      await write({ type: 'credential.add', token: session }, { type: 'credential.add', token: unowned });
      expect(await h.store.accounts.token('S-1')).toEqual(session);
      expect(await h.store.accounts.token('A-1')).toEqual(unowned);
      expect(await h.store.accounts.token('T-404')).toBeUndefined();
      expect(await h.store.accounts.tokens('session')).toEqual([session]);
      expect(await h.store.accounts.tokens('api')).toEqual([unowned]);
      expect(await h.store.accounts.tokens('device')).toEqual([]);
    });

    it('credential.revoke marks a token revoked, once: a second revocation keeps the first time', async () => {
      await write({ type: 'credential.add', token: token('T-1') });
      await write({ type: 'credential.revoke', id: 'T-1', at: '2025-06-01T13:00:00.000Z' });
      await write({ type: 'credential.revoke', id: 'T-1', at: '2025-06-01T14:00:00.000Z' });
      await write({ type: 'credential.revoke', id: 'T-404', at: '2025-06-01T14:00:00.000Z' });
      expect(await h.store.accounts.token('T-1')).toEqual({ ...token('T-1'), revokedAt: '2025-06-01T13:00:00.000Z' });
      expect(await h.store.accounts.token('T-404')).toBeUndefined();
    });

    it('activeDevices lists a volunteer’s device tokens neither revoked nor expired at now', async () => {
      const now = '2025-06-01T12:00:00.000Z';
      await write(
        { type: 'credential.add', token: token('D-open') },
        { type: 'credential.add', token: token('D-later', { expiresAt: '2025-06-01T12:00:00.001Z' }) },
        { type: 'credential.add', token: token('D-expired', { expiresAt: now }) },
        { type: 'credential.add', token: token('D-revoked') },
        { type: 'credential.add', token: token('D-other', { subject: 'V-2' }) },
        { type: 'credential.add', token: token('S-same', { kind: 'session', subject: 'V-1' }) },
      );
      await write({ type: 'credential.revoke', id: 'D-revoked', at: '2025-06-01T11:00:00.000Z' });
      expect(await h.store.accounts.activeDevices('V-1', now)).toEqual(new Set(['D-open', 'D-later']));
      expect(await h.store.accounts.activeDevices('V-2', now)).toEqual(new Set(['D-other']));
      expect(await h.store.accounts.activeDevices('V-404', now)).toEqual(new Set());
      // A revocation takes effect for the next question.
      await write({ type: 'credential.revoke', id: 'D-open', at: now });
      expect(await h.store.accounts.activeDevices('V-1', now)).toEqual(new Set(['D-later']));
    });

    it('user.setPasswordHash replaces a user’s password hash and nothing else', async () => {
      await write({ type: 'user.add', user: user('U-1', 'ann') });
      await write({ type: 'user.setPasswordHash', userId: 'U-1', passwordHash: 'scrypt$131072$8$1$salt$key' });
      expect(await h.store.accounts.userByName('ann')).toEqual({ ...user('U-1', 'ann'), passwordHash: 'scrypt$131072$8$1$salt$key' });
    });

    it('credential.extend moves a live credential’s end later, never earlier, and never revives a revoked one', async () => {
      const at = (h: number) => `2025-06-01T${String(h).padStart(2, '0')}:00:00.000Z`;
      await write(
        { type: 'credential.add', token: token('S-1', { kind: 'session', expiresAt: at(12) }) },
        { type: 'credential.add', token: token('S-2', { kind: 'session', expiresAt: at(12) }) },
      );
      await write({ type: 'credential.revoke', id: 'S-2', at: at(11) });
      await write({ type: 'credential.extend', id: 'S-1', expiresAt: at(20) }, { type: 'credential.extend', id: 'S-2', expiresAt: at(20) });
      expect((await h.store.accounts.token('S-1'))?.expiresAt).toBe(at(20));
      expect((await h.store.accounts.token('S-2'))?.expiresAt).toBe(at(12));
      await write({ type: 'credential.extend', id: 'S-1', expiresAt: at(15) });
      expect(await h.store.accounts.token('S-1')).toEqual(token('S-1', { kind: 'session', expiresAt: at(20) }));
    });

    it('a caller cannot change a stored user or token through what it read', async () => {
      await write(
        { type: 'user.add', user: user('U-1', 'ann') },
        { type: 'credential.add', token: token('T-1', { scopes: ['units:read'] }) },
      );
      const u = (await h.store.accounts.userByName('ann')) as { role: string };
      tryToChange(() => (u.role = 'admin'));
      const t = (await h.store.accounts.token('T-1'))!;
      tryToChange(() => (t.scopes as string[]).push('units:write'));
      expect((await h.store.accounts.userById('U-1'))?.role).toBe('dispatcher');
      expect((await h.store.accounts.tokens('device'))[0]?.scopes).toEqual(['units:read']);
    });
  });
}
