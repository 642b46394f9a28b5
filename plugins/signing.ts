/**
 * Ed25519 keys, detached signatures and sha256 digests for plugins, all through WebCrypto.
 *
 * Private keys are PKCS8 in PEM; public keys are written `ed25519:<base64 of the 32 raw bytes>`, the form
 * a policy's `publisher:` takes. A signature is the base64 Ed25519 signature over the manifest's exact bytes.
 *
 * @module
 */

const PEM_LABEL = "PRIVATE KEY";
const PUBLISHER = /^ed25519:([A-Za-z0-9+/]+=*)$/;

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of base64 text; throws `SyntaxError` when it is not base64. */
export function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new SyntaxError("Cannot decode base64 text: it contains characters outside the alphabet");
  }
}

/** The sha256 of bytes as `sha256-<base64>` (subresource-integrity form, used in manifests and the lock). */
export async function sha256Integrity(bytes: Uint8Array): Promise<string> {
  return "sha256-" + toBase64(await sha256(bytes));
}

/** The sha256 of bytes as lowercase hex (the JSR checksum form, after `sha256-`). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return [...await sha256(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** A new key pair: the PKCS8 private key as PEM text and the public key as `ed25519:<base64>`. */
export async function generateKeyPair(): Promise<{ privatePem: string; publisher: string }> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const lines = toBase64(pkcs8).match(/.{1,64}/g)!.join("\n");
  return {
    privatePem: `-----BEGIN ${PEM_LABEL}-----\n${lines}\n-----END ${PEM_LABEL}-----\n`,
    publisher: `ed25519:${toBase64(raw)}`,
  };
}

/** A signing key read from PKCS8 PEM text, with the `ed25519:<base64>` public key that verifies it. */
export interface SigningKey {
  key: CryptoKey;
  publisher: string;
}

/**
 * Reads a PKCS8 PEM Ed25519 private key.
 *
 * @throws {SyntaxError} when the text is not a PEM Ed25519 private key.
 */
export async function importSigningKey(pem: string): Promise<SigningKey> {
  const m = new RegExp(`-----BEGIN ${PEM_LABEL}-----([A-Za-z0-9+/=\\s]+)-----END ${PEM_LABEL}-----`).exec(
    pem,
  );
  if (!m) throw new SyntaxError("Cannot read the private key: it is not a PEM PKCS8 private key");
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "pkcs8",
      fromBase64(m[1].replace(/\s+/g, "")) as Uint8Array<ArrayBuffer>,
      {
        name: "Ed25519",
      },
      true,
      ["sign"],
    );
  } catch {
    throw new SyntaxError("Cannot read the private key: it is not an Ed25519 PKCS8 key");
  }
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const x = jwk.x!.replace(/-/g, "+").replace(/_/g, "/");
  const publisher = `ed25519:${x}${"=".repeat((4 - x.length % 4) % 4)}`;
  // Keep only a non-extractable handle from here on.
  const signing = await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["sign"]);
  return { key: signing, publisher };
}

/** The base64 detached Ed25519 signature of `bytes`. */
export async function signBytes(key: SigningKey, bytes: Uint8Array): Promise<string> {
  return toBase64(
    new Uint8Array(await crypto.subtle.sign("Ed25519", key.key, bytes as Uint8Array<ArrayBuffer>)),
  );
}

/** True when `publisher` is `ed25519:` and 32 base64 bytes. */
export function isPublisher(publisher: string): boolean {
  const m = PUBLISHER.exec(publisher);
  if (!m) return false;
  try {
    return fromBase64(m[1]).length === 32;
  } catch {
    return false;
  }
}

/** True when `signature` (base64) is `publisher`'s Ed25519 signature over `bytes`; false for any malformed input. */
export async function verifySignature(
  publisher: string,
  bytes: Uint8Array,
  signature: string,
): Promise<boolean> {
  const m = PUBLISHER.exec(publisher);
  if (!m) return false;
  try {
    const raw = fromBase64(m[1]);
    const sig = fromBase64(signature.trim());
    if (raw.length !== 32 || sig.length !== 64) return false;
    const key = await crypto.subtle.importKey(
      "raw",
      raw as Uint8Array<ArrayBuffer>,
      { name: "Ed25519" },
      false,
      [
        "verify",
      ],
    );
    return await crypto.subtle.verify(
      "Ed25519",
      key,
      sig as Uint8Array<ArrayBuffer>,
      bytes as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}
