// Starts a policy's replay on its own thread on the TypeScript sources, as bin/samaritan.js does for the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./policy-worker.ts');
