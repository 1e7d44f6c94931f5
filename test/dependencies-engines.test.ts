import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The product runs on Node 20: a locked package that wants a newer Node makes `npm ci` warn and may
// break at run time, so the lockfile must hold only versions whose engines accept Node 20.
const NODE_20 = '20.19.0';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
}

describe('locked dependencies', () => {
  it('every locked package accepts Node 20 in its engines', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, LockedPackage>;
    };
    const refusing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const range = !pkg.engines || Array.isArray(pkg.engines) ? undefined : pkg.engines.node;
      if (!range || path === '') continue;
      if (!semver.satisfies(NODE_20, range, { includePrerelease: true })) refusing.push(`${path}@${pkg.version} wants ${range}`);
    }
    expect(refusing).toEqual([]);
  });
});
