import { Worker } from 'node:worker_threads';
import { checkEido, type SchemaError } from './eido-schema.ts';

interface Waiting {
  readonly doc: unknown;
  readonly resolve: (errors: SchemaError[] | undefined) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Validates EIDO documents against the official schema on a thread of its own, compiled once when
 * the first document comes (not at start: most servers never receive one). Documents that arrive
 * while it compiles wait for it. If the thread cannot start or dies, validation goes on here, on
 * the main thread: slower to compile, but no document is ever let through unchecked.
 */
export class EidoValidation {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private asked = 0;
  private broken = false;

  check(doc: unknown): Promise<SchemaError[] | undefined> {
    if (this.broken) return Promise.resolve(checkEido(doc));
    const worker = this.worker ?? this.start();
    const id = ++this.asked;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { doc, resolve, reject });
      worker.postMessage({ id, doc });
    });
  }

  /** Stops the thread; a later check starts another. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./eido-validator-boot.js', import.meta.url));
    worker.unref();
    worker.on('message', (m: { id?: number; errors?: SchemaError[]; failure?: string }) => {
      if (m.id === undefined) return;
      const w = this.waiting.get(m.id);
      if (w === undefined) return;
      this.waiting.delete(m.id);
      if (m.failure !== undefined) w.reject(new Error(`EIDO validation failed: ${m.failure}`));
      else w.resolve(m.errors);
    });
    const fail = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.broken = true;
      // What the thread had not answered is answered here.
      for (const [id, w] of this.waiting) {
        this.waiting.delete(id);
        try {
          w.resolve(checkEido(w.doc));
        } catch (e) {
          w.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }
}
