/**
 * The address a connection comes from, used only as a key for the per-IP limits and never logged.
 *
 * Behind a reverse proxy every socket comes from the proxy, so the `X-Forwarded-For` of a configured proxy is
 * believed: the header is read from the right, where each trusted proxy appended the address it saw, and the first
 * address that is not a trusted proxy is the client. Whatever a client wrote into the header itself sits further
 * left and is never reached; a header from anyone but a trusted proxy is ignored altogether.
 */
import type { IncomingMessage } from 'node:http';
import { isIP, type BlockList } from 'node:net';

export function clientAddress(request: IncomingMessage, trustedProxies?: BlockList): string {
  let address = plainAddress(request.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies) return address;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  while (isTrusted(trustedProxies, address) && hops.length > 0) {
    const hop = plainAddress(withoutPort(hops.pop()!.trim()));
    // A trusted proxy that wrote something other than an address: stay with the last address known to be real.
    if (!isIP(hop)) break;
    address = hop;
  }
  return address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is the IPv4 address, for the limits and the checks. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/iu.exec(address);
  return mapped ? mapped[1] : address;
}

/** Some proxies append `192.0.2.1:51234` or `[2001:db8::1]:443`. */
function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/u.exec(hop);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/u.exec(hop);
  return v4 ? v4[1] : hop;
}
