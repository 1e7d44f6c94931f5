import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which part of the address space an IP address lies in, for the outbound requests whose target a
 * caller chooses (a push subscription's endpoint): only `public` addresses may be reached, and
 * `loopback` only where a local push service was configured on purpose.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'shared (CGNAT)'
  | 'unique local'
  | 'IPv4-mapped'
  | 'multicast'
  | 'reserved'
  | 'not an IP address';

type Range = readonly [network: string, prefix: number, kind: AddressKind];

const V4: readonly Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // An IPv4 address written as IPv6 would reach whatever IPv4 address it carries.
  ['::ffff:0:0', 96, 'IPv4-mapped'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'link-local'],
  ['fc00::', 7, 'unique local'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'reserved'],
  // 6to4 and Teredo tunnel to an IPv4 address of the sender's choosing.
  ['2002::', 16, 'reserved'],
  ['2001::', 32, 'reserved'],
];

function lists(ranges: readonly Range[], type: 'ipv4' | 'ipv6'): readonly (readonly [BlockList, AddressKind])[] {
  return ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return [list, kind] as const;
  });
}

const V4_LISTS = lists(V4, 'ipv4');
/**
 * The NAT64 well-known prefix (RFC 6052): a network with a NAT64 gateway reaches every IPv4 host as
 * 64:ff9b::<its IPv4 address>, so an address here is as public as the IPv4 address it carries.
 */
const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');
const V6_LISTS = lists(V6, 'ipv6');
const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

/** The kind of `address` (dotted IPv4 or IPv6, a zone index ignored); anything unknown is not public. */
export function addressKind(address: string): AddressKind {
  const ip = address.replace(/%.*$/, '');
  if (isIPv4(ip)) return V4_LISTS.find(([list]) => list.check(ip, 'ipv4'))?.[1] ?? 'public';
  if (!isIPv6(ip)) return 'not an IP address';
  if (NAT64.check(ip, 'ipv6')) return addressKind(lastIPv4(ip));
  // Checked before the IPv4 ranges: a BlockList matches a mapped address against IPv4 rules too.
  const kind = V6_LISTS.find(([list]) => list.check(ip, 'ipv6'))?.[1];
  if (kind !== undefined) return kind;
  return GLOBAL_UNICAST_V6.check(ip, 'ipv6') ? 'public' : 'reserved';
}

/** The IPv4 address in the last 32 bits of an IPv6 address ("64:ff9b::a00:1" and "64:ff9b::10.0.0.1" → "10.0.0.1"). */
function lastIPv4(ip: string): string {
  const tail = ip.slice(ip.lastIndexOf(':') + 1);
  if (isIPv4(tail)) return tail;
  const [head = '', rest = ''] = ip.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = rest === '' ? [] : rest.split(':');
  const groups = ip.includes('::') ? [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back] : front;
  const [hi = 0, lo = 0] = groups.slice(6).map((g) => parseInt(g, 16));
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}
