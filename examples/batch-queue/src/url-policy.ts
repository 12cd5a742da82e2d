import { type LookupAddress, lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** A source URL the policy refuses: final, retrying cannot help. */
export class RefusedUrlError extends Error {}

// Addresses a URL from a job must not reach by default: this host, the local networks, cloud
// metadata (169.254.169.254), and ranges that are not routable on the internet.
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback (::1) and IPv4-compatible (::127.0.0.1)
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, link-local, private or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  // BlockList checks an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 ranges too.
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  return family !== 6 || PRIVATE.check(address, 'ipv6');
}

/** Throws a {@link RefusedUrlError} when `host` is an IP literal the policy refuses. */
export function checkLiteralHost(host: string, allowPrivate: boolean): void {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && isIP(address) && isPrivateAddress(address)) {
    throw new RefusedUrlError(`${host} is a private, loopback or link-local address`);
  }
}

/**
 * A `lookup` for http.request: resolves the name, refuses it if any of its addresses is private,
 * and hands the checked addresses to the socket, which connects to them without resolving again
 * (so a DNS answer that changes between the check and the connection cannot bypass the check).
 */
export function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) {
        return callback(
          new RefusedUrlError(
            `${hostname} resolves to ${refused.address}, a private, loopback or link-local address`,
          ),
          '',
          0,
        );
      }
      if (options.all) return (callback as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
