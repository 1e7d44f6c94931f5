import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Passwords are hashed at a test cost (the product's is 2^17, ~128 MiB and a few hundred ms a hash);
    // the CLI and servers the tests start inherit it.
    env: { SAMARITAN_SCRYPT_LOG2N: '10' },
  },
});
