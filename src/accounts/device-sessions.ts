import type Database from 'better-sqlite3';

/**
 * Whether a volunteer is signed in on some device: the ids of their device tokens that are neither
 * revoked nor expired (credentials table, src/store/sqlite/sqlite-accounts.ts). Signing out or
 * deleting the account revokes them; a volunteer with none is "logged out" and receives nothing.
 */
export class DeviceSessions {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly clock: () => number,
  ) {
    // Asked before every send: an index on the volunteer, so that it does not scan every device token.
    db.exec(`CREATE INDEX IF NOT EXISTS credentials_device_subject ON credentials (subject) WHERE kind = 'device'`);
    this.q = db.prepare<[string, string], { id: string }>(
      `SELECT id FROM credentials WHERE kind = 'device' AND subject = ? AND revoked_at IS NULL
       AND (expires_at IS NULL OR expires_at > ?)`,
    );
  }

  active(volunteerId: string): Set<string> {
    return new Set(this.q.all(volunteerId, new Date(this.clock()).toISOString()).map((r) => r.id));
  }
}
