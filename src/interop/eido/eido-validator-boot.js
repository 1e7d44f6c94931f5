// Starts the EIDO validator thread on the TypeScript sources, as bin/samaritan.js does for the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./eido-validator-thread.ts');
