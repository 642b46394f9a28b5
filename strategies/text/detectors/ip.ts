/**
 * IP addresses: dotted-quad IPv4 (not part of a longer dotted number such as a version) and IPv6 in full,
 * compressed (`::`) or IPv4-suffixed form.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`(?<![\\d.]|[\\da-fA-F]:)${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, "g");
const IPV6_CANDIDATE = /(?<![0-9A-Za-z:])[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*(?![0-9A-Za-z:])/g;

/** True when `s` is a syntactically valid IPv6 address. */
export function ipv6Valid(s: string): boolean {
  let groups = s.split(":");
  let v4 = 0;
  if (s.includes(".")) {
    const last = groups[groups.length - 1];
    if (!new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`).test(last)) return false;
    groups = groups.slice(0, -1);
    groups.push("0", "0");
    v4 = 1;
  }
  const text = groups.join(":");
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const parts = (h: string) => (h === "" ? [] : h.split(":"));
  const head = parts(halves[0]);
  const tail = halves.length === 2 ? parts(halves[1]) : [];
  const all = head.concat(tail);
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  if (halves.length === 2) return all.length <= 7 && (all.length > 0 || v4 === 0 || s === "::");
  return all.length === 8;
}

/** Appends a span for every IPv4 and IPv6 address in `text`. */
export function findIps(text: string, out: Span[]): void {
  if (text.includes(".")) {
    IPV4.lastIndex = 0;
    for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, entity: "ip" });
    }
  }
  if (text.includes(":")) {
    IPV6_CANDIDATE.lastIndex = 0;
    for (let m = IPV6_CANDIDATE.exec(text); m !== null; m = IPV6_CANDIDATE.exec(text)) {
      let s = m[0];
      while (s.endsWith(".")) s = s.slice(0, -1);
      if (s.length >= 2 && /[0-9A-Fa-f]/.test(s) && ipv6Valid(s)) {
        out.push({ start: m.index, end: m.index + s.length, entity: "ip" });
      }
    }
  }
}
