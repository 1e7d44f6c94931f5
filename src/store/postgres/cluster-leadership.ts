import type pg from 'pg';
import type { ConnectionTiming } from './cluster-listener.ts';
import { DedicatedConnection } from './dedicated-connection.ts';

/**
 * Advisory lock keys of the cluster, in the two-int form (a bigint key, as the log's lock takes, is
 * another key space on the server, so the two never collide).
 */
export const CLUSTER_LOCK_SPACE = 0x53_41_4d_41; // "SAMA"
export const EXCLUSIVE_LOCK_SPACE = CLUSTER_LOCK_SPACE + 1;
const LEADER_KEY = 1;
/** How many retry periods a node that lost the lead waits before campaigning again. */
const STAND_BACK = 3;

export interface LeadershipOptions extends ConnectionTiming {
  readonly url: string;
  readonly nodeId: string;
  /** Between two attempts at the lock while another node leads (ms). */
  readonly retryMs: number;
  onError(error: Error): void;
}

type Handlers = { onGained(): void; onLost(): void };

/**
 * The leader is the node whose session holds the leader lock. The server frees a session lock when
 * the session ends, so a killed node's lock is free as soon as its TCP connection closes; this node
 * stops leading as soon as it sees its own session end or stop answering, and campaigns again.
 */
export class Leadership {
  private readonly connection: DedicatedConnection;
  private handlers: Handlers | undefined;
  private leading = false;
  private closed = false;
  /** Bumped on every connection lost, so an attempt started on an older connection is ignored. */
  private generation = 0;
  private attempt: NodeJS.Timeout | undefined;
  private lostLead = false;

  constructor(private readonly options: LeadershipOptions) {
    this.connection = new DedicatedConnection({
      ...options,
      applicationName: `samaritan-leader:${options.nodeId}`,
      opened: (client) => {
        const generation = this.generation;
        // A node that just lost the lead stands back a little, so that a node with a sound connection
        // takes over (the others try every retryMs). Never at once: the connection must count as open
        // first, so that losing it is always reported as dropped.
        const wait = this.lostLead ? STAND_BACK * options.retryMs : 0;
        this.lostLead = false;
        this.attempt = setTimeout(() => this.campaign(client, generation), wait);
        this.attempt.unref();
        return Promise.resolve();
      },
      dropped: () => this.dropped(),
    });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  lead(handlers: Handlers): void {
    if (this.closed) return;
    this.handlers = handlers;
    this.connection.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.dropped();
    await this.connection.close();
  }

  private campaign(client: pg.Client, generation: number): void {
    this.attempt = undefined;
    if (generation !== this.generation || this.closed) return;
    client
      .query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [CLUSTER_LOCK_SPACE, LEADER_KEY])
      .then((r) => {
        if (generation !== this.generation || this.closed) return;
        if (r.rows[0]?.ok === true) {
          this.leading = true;
          this.tell('onGained');
        } else {
          this.attempt = setTimeout(() => this.campaign(client, generation), this.options.retryMs);
          this.attempt.unref();
        }
      })
      .catch((e: unknown) => {
        if (generation === this.generation) this.connection.lose(client, e instanceof Error ? e : new Error(String(e)));
      });
  }

  private dropped(): void {
    this.generation++;
    clearTimeout(this.attempt);
    this.attempt = undefined;
    if (!this.leading) return;
    this.leading = false;
    this.lostLead = true;
    this.tell('onLost');
  }

  private tell(what: keyof Handlers): void {
    try {
      this.handlers?.[what]();
    } catch (e) {
      this.options.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
