import assert from "node:assert/strict";
import { findIps, ipv6Valid } from "./ip.ts";
import { found } from "./_test_find.ts";

Deno.test("findIps() finds IPv4 and IPv6 addresses", () => {
  assert.deepEqual(found(findIps, "From 192.168.1.20 and 2001:db8::8a2e:370:7334, also ::ffff:10.0.0.1."), [
    "ip:192.168.1.20",
    "ip:2001:db8::8a2e:370:7334",
    "ip:::ffff:10.0.0.1",
  ]);
});

Deno.test("findIps() ignores versions, out-of-range octets and clock times", () => {
  assert.deepEqual(found(findIps, "v1.2.3.4.5 and 300.1.1.1 at 12:30:45 on 10:30"), []);
  assert.deepEqual(found(findIps, "host:10.0.0.1"), ["ip:10.0.0.1"]);
});

Deno.test("ipv6Valid() refuses two '::' and too many groups", () => {
  assert.equal(ipv6Valid("1::2::3"), false);
  assert.equal(ipv6Valid("1:2:3:4:5:6:7:8:9"), false);
  assert.equal(ipv6Valid("fe80::1"), true);
});
