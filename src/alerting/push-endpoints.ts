import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressKind } from './address-space.ts';

/**
 * Which push subscription endpoints the server will send to. The endpoint is chosen by whoever
 * holds a device token, and the server POSTs to it: left open, a volunteer account could make the
 * server reach its own loopback, the cloud metadata service or the private network. So an
 * endpoint must be https, on a known push service's host, and every address that host resolves to
 * must be public; this is checked when the subscription is registered and again before each send,
 * and the send connects only to the addresses just checked (a name cannot be re-pointed between the
 * check and the connection).
 */
export interface PushServicePolicy {
  /** Hosts a subscription may point at: an exact name, or `*.` and a domain for any name below it. */
  readonly hosts: readonly string[];
  /** Plain http endpoints (a local push service without TLS, in tests). Default false. */
  readonly allowHttp?: boolean;
  /** Endpoints whose addresses are loopback (127.0.0.0/8, ::1) (a local push service, in tests). Default false. */
  readonly allowLoopback?: boolean;
}

/** The push services of Chrome and Android (FCM), Firefox (Mozilla autopush), Safari (Apple) and Edge (WNS). */
export const DEFAULT_PUSH_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

/** The environment variable that replaces the default hosts: a comma-separated list. */
export const PUSH_HOSTS_ENV = 'SAMARITAN_PUSH_HOSTS';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to; rejects when it does not resolve. */
export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** The policy from `SAMARITAN_PUSH_HOSTS` when set, else the default hosts; http and loopback stay refused. */
export function pushPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): PushServicePolicy {
  const listed = env[PUSH_HOSTS_ENV]
    ?.split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  return { hosts: listed !== undefined && listed.length > 0 ? listed : DEFAULT_PUSH_HOSTS };
}

export type EndpointCheck =
  /** `addresses` is empty only at registration, for a listed name that does not resolve yet. */
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly ResolvedAddress[] }
  /** `retry`: the refusal may pass later (the name did not resolve), so a send may be tried again. */
  | { readonly ok: false; readonly reason: string; readonly retry: boolean };

const refuse = (reason: string, retry = false): EndpointCheck => ({ ok: false, reason, retry });

/** `host` as the allow-list writes it: lower case, without a trailing dot or IPv6 brackets. */
const bare = (host: string) => host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');

export class PushEndpoints {
  private readonly hosts: readonly string[];

  constructor(
    private readonly policy: PushServicePolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.hosts = policy.hosts.map(bare);
  }

  private listed(host: string): boolean {
    return this.hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h));
  }

  /**
   * At registration: refused unless allowed now. A listed name that does not resolve is accepted
   * (a push service's name may be briefly unresolvable) and checked again at every send.
   */
  admit(endpoint: string): Promise<EndpointCheck> {
    return this.check(endpoint, true);
  }

  /** Before a send: the addresses to connect to, all checked just now; refused if the name does not resolve. */
  forSend(endpoint: string): Promise<EndpointCheck> {
    return this.check(endpoint, false);
  }

  private async check(endpoint: string, registering: boolean): Promise<EndpointCheck> {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return refuse('the endpoint is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.policy.allowHttp === true)) {
      return refuse(`the endpoint must be https, not ${url.protocol.replace(/:$/, '')}`);
    }
    if (url.username !== '' || url.password !== '') return refuse('the endpoint must not carry credentials');
    const host = bare(url.hostname);
    if (!this.listed(host)) return refuse(`${host} is not a known push service`);
    let addresses: readonly ResolvedAddress[];
    const family = isIP(host);
    if (family === 4 || family === 6) addresses = [{ address: host, family }];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        addresses = [];
      }
      if (addresses.length === 0) return registering ? { ok: true, url, addresses } : refuse(`${host} does not resolve`, true);
    }
    for (const a of addresses) {
      const kind = addressKind(a.address);
      if (kind === 'public' || (kind === 'loopback' && this.policy.allowLoopback === true)) continue;
      return refuse(`${host} resolves to ${a.address} (${kind})`);
    }
    return { ok: true, url, addresses };
  }
}
