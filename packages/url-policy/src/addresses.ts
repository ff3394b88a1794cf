// Which IP addresses a server-side fetch may connect to. Pure: callers resolve names themselves and
// ask about each address they are about to connect to (the first request and every redirect).
// Refused: unspecified, loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata
// lives at 169.254.169.254), CGNAT (100.64/10), multicast, reserved/broadcast, benchmarking and
// documentation ranges, and every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64,
// 6to4, Teredo) — those are refused outright rather than unwrapped.

export type AddressClass = "public" | "invalid" | "unspecified" | "loopback" | "private" | "link-local" | "cgnat" | "multicast" | "reserved" | "ipv4-embedded";

/** Parsed allow list (FETCH_ALLOW_HOSTS): host names (exact, case-insensitive) and CIDR ranges. */
export interface AllowList {
  names: Set<string>;
  ranges: { bytes: Uint8Array; prefix: number }[];
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^(0|[1-9]\d{0,2})$/.test(parts[i])) return undefined;
    const value = Number(parts[i]);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

export function parseIpv6(input: string): Uint8Array | undefined {
  let text = input.replace(/^\[|\]$/g, "");
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = text.slice(0, lastColon + 1);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const groups = [...head, ...rest];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const total = groups.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head.map((g) => Number.parseInt(g, 16)), ...new Array(8 - total).fill(0), ...rest.map((g) => Number.parseInt(g, 16)), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, base: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[byte] & mask) !== ((base[byte] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_RANGES: [number[], number, AddressClass][] = [
  [[0], 8, "unspecified"],
  [[127], 8, "loopback"],
  [[10], 8, "private"],
  [[172, 16], 12, "private"],
  [[192, 168], 16, "private"],
  [[169, 254], 16, "link-local"],
  [[100, 64], 10, "cgnat"],
  [[224], 4, "multicast"],
  [[240], 4, "reserved"],
  [[192, 0, 0], 24, "reserved"],
  [[192, 0, 2], 24, "reserved"],
  [[198, 18], 15, "reserved"],
  [[198, 51, 100], 24, "reserved"],
  [[203, 0, 113], 24, "reserved"],
];

const V6_RANGES: [number[], number, AddressClass][] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128, "unspecified"],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback"],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, "ipv4-embedded"], // ::ffff:a.b.c.d (mapped)
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96, "ipv4-embedded"], // ::a.b.c.d (compatible)
  [[0, 0x64, 0xff, 0x9b], 32, "ipv4-embedded"], // 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64)
  [[0x20, 0x02], 16, "ipv4-embedded"], // 6to4
  [[0x20, 0x01, 0, 0], 32, "ipv4-embedded"], // Teredo
  [[0xfc], 7, "private"],
  [[0xfe, 0x80], 10, "link-local"],
  [[0xfe, 0xc0], 10, "private"], // site-local (deprecated)
  [[0xff], 8, "multicast"],
  [[0x20, 0x01, 0x0d, 0xb8], 32, "reserved"], // documentation
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64, "reserved"], // discard-only
];

/** Classifies a literal IPv4 or IPv6 address; anything else is "invalid". */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseIpv4(address);
  if (v4) return V4_RANGES.find(([base, prefix]) => inRange(v4, base, prefix))?.[2] ?? (v4[0] === 255 ? "reserved" : "public");
  const v6 = parseIpv6(address);
  if (!v6) return "invalid";
  return V6_RANGES.find(([base, prefix]) => inRange(v6, base, prefix))?.[2] ?? "public";
}

/** FETCH_ALLOW_HOSTS: comma- or space-separated host names and CIDRs (127.0.0.0/8, ::1/128) or addresses. */
export function parseAllowList(text: string | undefined): AllowList {
  const list: AllowList = { names: new Set(), ranges: [] };
  for (const entry of (text ?? "").split(/[\s,]+/).filter(Boolean)) {
    const [address, prefixText] = entry.split("/");
    const bytes = parseIpv4(address) ?? parseIpv6(address);
    if (bytes) {
      const max = bytes.length * 8;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`FETCH_ALLOW_HOSTS: bad prefix in ${entry}`);
      list.ranges.push({ bytes, prefix });
    } else if (prefixText === undefined && /^[A-Za-z0-9.-]+$/.test(entry)) {
      list.names.add(entry.toLowerCase().replace(/\.$/, ""));
    } else {
      throw new Error(`FETCH_ALLOW_HOSTS: cannot read ${entry} (a host name, an address or a CIDR)`);
    }
  }
  return list;
}

/** Whether a connection to `address` (reached through host name `host`) is allowed. */
export function isAllowed(host: string, address: string, allow: AllowList): boolean {
  const bytes = parseIpv4(address) ?? parseIpv6(address);
  if (!bytes) return false;
  if (
    allow.names.has(
      host
        .toLowerCase()
        .replace(/^\[|\]$/g, "")
        .replace(/\.$/, ""),
    )
  )
    return true;
  if (allow.ranges.some((range) => range.bytes.length === bytes.length && inRange(bytes, [...range.bytes], range.prefix))) return true;
  return classifyAddress(address) === "public";
}
