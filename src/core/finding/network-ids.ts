/**
 * Host names and IP addresses in one spelling, so `10.0.1.7`, `::ffff:10.0.1.7` and ` 10.0.1.7 ` or
 * `API-1.Internal.` and `api-1.internal` compare equal.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4(text: string): string | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  // scanners write decimal octets; a leading zero is padding, not octal
  const octets = m.slice(1, 5).map((part) => Number.parseInt(part, 10));
  return octets.every((o) => o <= 255) ? octets.join('.') : undefined;
}

/** The canonical form of an IPv4 or IPv6 address (IPv6 compressed, lower-case), or undefined if not an IP. */
export function normaliseIp(raw: string | undefined | null): string | undefined {
  let text = raw?.trim();
  if (!text) return undefined;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  text = text.replace(/%.*$/, ''); // zone index (fe80::1%eth0) names the interface, not the host
  const v4 = ipv4(text);
  if (v4) return v4;
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  if (mapped) return ipv4(mapped[1]!);
  try {
    // the WHATWG URL parser implements RFC 5952 compression for IPv6 hosts
    const host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
    const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mappedHex) {
      const hi = Number.parseInt(mappedHex[1]!, 16);
      const lo = Number.parseInt(mappedHex[2]!, 16);
      return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    }
    return host;
  } catch {
    return undefined;
  }
}

const HOST_LABELS = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * A DNS host name, lower-cased (DNS is case-insensitive) with the root dot removed. The full name is kept:
 * `web01.corp` and `web01.lab` are different hosts, so short names are not merged with FQDNs.
 */
export function normaliseHostname(raw: string | undefined | null): string | undefined {
  const text = raw?.trim().toLowerCase().replace(/\.$/, '');
  if (!text || text.length > 253 || normaliseIp(text)) return undefined;
  // an all-digit "name" is a scanner's host id, not a DNS name
  return HOST_LABELS.test(text) && /[a-z]/.test(text) ? text : undefined;
}
