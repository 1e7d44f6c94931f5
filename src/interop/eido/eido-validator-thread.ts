// The thread behind EidoValidation (eido-validation.ts). The EIDO schema pulls in some 1,700 NIEM
// definitions; Ajv takes seconds to compile them, which must not stall the event loop that serves
// dispatch. Messages: { id, doc } → { id, errors } (errors absent: valid) | { id, failure }.
import { parentPort } from 'node:worker_threads';
import { checkEido, eidoValidator } from './eido-schema.ts';

eidoValidator();
parentPort?.on('message', (m: { id: number; doc: unknown }) => {
  try {
    const errors = checkEido(m.doc);
    parentPort?.postMessage(errors === undefined ? { id: m.id } : { id: m.id, errors });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, failure: e instanceof Error ? e.message : String(e) });
  }
});
parentPort?.postMessage({ ready: true });
