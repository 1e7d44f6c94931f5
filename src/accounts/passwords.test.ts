import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './passwords.ts';

describe('password hashing', () => {
  it('a hash made with the default settings records N = 2^17 (r = 8, p = 1) and verifies: Node is given the memory that cost needs', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
  });

  it('a hash is checked at the cost it records, and one of lower cost is weaker than the hasher’s', async () => {
    const cheap = new PasswordHasher(10);
    const hash = await cheap.hash('a password of old');
    expect(await new PasswordHasher(12).verify('a password of old', hash)).toBe(true);
    expect(await new PasswordHasher(12).verify('a password of new', hash)).toBe(false);
    expect(new PasswordHasher(12).weaker(hash)).toBe(true);
    expect(cheap.weaker(hash)).toBe(false);
    expect(new PasswordHasher(9).weaker(hash)).toBe(false);
  });

  it('a stored hash that is not ours, or asks for an absurd cost, is refused without being computed', async () => {
    const hasher = new PasswordHasher(10);
    for (const stored of [
      '',
      'bcrypt$x',
      'scrypt$1073741824$8$1$c2FsdA$aGFzaA',
      'scrypt$1000$8$1$c2FsdA$aGFzaA',
      'scrypt$1024$99$1$c2FsdA$aGFzaA',
    ]) {
      expect(await hasher.verify('anything', stored)).toBe(false);
      expect(hasher.weaker(stored)).toBe(false);
    }
    expect(() => new PasswordHasher(0)).toThrow(/log2\(N\)/);
    expect(() => new PasswordHasher(21)).toThrow(/log2\(N\)/);
  });
});
