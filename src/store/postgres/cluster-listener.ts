import type pg from 'pg';
import { DedicatedConnection, type DedicatedConnectionOptions } from './dedicated-connection.ts';

/** Carries the seq of the last event of each append transaction (sent by the store, at commit). */
export const LOG_CHANNEL = 'samaritan_log';
/** Carries the nodes' broadcasts: JSON `{ from, n, topic, payload }`. */
export const BUS_CHANNEL = 'samaritan_bus';

export type ConnectionTiming = Pick<DedicatedConnectionOptions, 'reconnectMinMs' | 'reconnectMaxMs' | 'heartbeatMs' | 'heartbeatTimeoutMs'>;

export interface ClusterListenerOptions extends ConnectionTiming {
  readonly url: string;
  readonly nodeId: string;
  /** The log grew to `seq`; also called with the head after each (re)connection, for what was missed. */
  appended(seq: number): void;
  /** Another node's broadcast (this node's own are not passed on). */
  message(topic: string, payload: unknown, fromNode: string): void;
  onError(error: Error): void;
}

/**
 * The node's LISTEN session. NOTIFY reaches only the sessions listening at the time, so after a
 * reconnection the head of the log is read (after LISTEN: nothing committed later can be missed)
 * and announced, and followers read back what was committed while the node was deaf. Broadcasts
 * sent meanwhile are lost, as a down node's would be.
 */
export class ClusterListener {
  private readonly connection: DedicatedConnection;

  constructor(private readonly options: ClusterListenerOptions) {
    this.connection = new DedicatedConnection({
      ...options,
      applicationName: `samaritan-listen:${options.nodeId}`,
      opened: (client) => this.opened(client),
      dropped: () => {},
    });
  }

  /** Resolves once the node listens. */
  open(): Promise<void> {
    return this.connection.opening();
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private async opened(client: pg.Client): Promise<void> {
    client.on('notification', (n) => this.heard(n));
    await client.query(`LISTEN ${LOG_CHANNEL}`);
    await client.query(`LISTEN ${BUS_CHANNEL}`);
    const head = await client.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM events');
    this.options.appended(Number(head.rows[0]!.head));
  }

  private heard(n: pg.Notification): void {
    try {
      if (n.channel === LOG_CHANNEL) {
        const seq = Number(n.payload);
        if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`${LOG_CHANNEL}: not a seq: ${JSON.stringify(n.payload)}`);
        this.options.appended(seq);
      } else if (n.channel === BUS_CHANNEL) {
        const m = JSON.parse(n.payload ?? '') as { from?: unknown; topic?: unknown; payload?: unknown };
        if (typeof m.from !== 'string' || typeof m.topic !== 'string') throw new Error(`${BUS_CHANNEL}: not a message: ${n.payload?.slice(0, 80)}`);
        if (m.from !== this.options.nodeId) this.options.message(m.topic, m.payload, m.from);
      }
    } catch (e) {
      this.options.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
