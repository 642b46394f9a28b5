/**
 * URLs that carry a secret: user info (`scheme://user:password@host`) or a query parameter named like a
 * credential (`token`, `api_key`, `password`, `sig`...). Plain URLs are left alone.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const URL_RE = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s<>"'`]+/gi;
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^\/?#@\s]+@/i;
const SECRET_PARAM =
  /[?&#;](?:access_?token|refresh_?token|id_?token|token|auth|api_?key|apikey|key|secret|client_secret|password|passwd|pwd|pass|sig|signature|session|sessionid|sid|code|x-amz-signature|x-amz-credential)=[^&#\s]{4,}/i;

/** Appends a span for every URL in `text` that holds credentials or a token. */
export function findSecretUrls(text: string, out: Span[]): void {
  if (!text.includes("://")) return;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m !== null; m = URL_RE.exec(text)) {
    let url = m[0];
    while (/[.,;:!?)\]]$/.test(url)) url = url.slice(0, -1);
    if (USERINFO.test(url) || SECRET_PARAM.test(url)) {
      out.push({ start: m.index, end: m.index + url.length, entity: "url" });
    }
  }
}
