/**
 * The policy key and the subkeys derived from it. Strategies only ever see a subkey for their domain
 * (and plugins a subkey for their name), so the master key never leaves this module.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import { diagnostic } from "../../core/diagnostic.ts";

/** The minimum key size in bytes. */
export const MIN_KEY_BYTES = 32;

/**
 * Decodes the policy's `key:` value: `hex:<hex>`, `base64:<base64>`, or any other string taken as its
 * UTF-8 bytes. Must be at least {@link MIN_KEY_BYTES} bytes.
 *
 * @throws {ConfigError} `KEY_INVALID` when it is too short or badly encoded. The message never holds the key.
 */
export function decodeKey(text: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (text.startsWith("hex:")) {
      const hex = text.slice(4);
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new SyntaxError("not hex");
      bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    } else if (text.startsWith("base64:")) {
      bytes = Uint8Array.from(atob(text.slice(7)), (c) => c.charCodeAt(0));
    } else {
      bytes = new TextEncoder().encode(text);
    }
  } catch {
    throw new ConfigError("KEY_INVALID", "Cannot decode the policy key: it is not valid hex or base64", [
      diagnostic("KEY_INVALID", "not valid hex or base64", { path: ["key"] }),
    ], { hint: "Generate one with: openssl rand -base64 32 (and write it as base64:<value>)" });
  }
  if (bytes.length < MIN_KEY_BYTES) {
    throw new ConfigError(
      "KEY_INVALID",
      `Cannot use the policy key as it is too short: ${bytes.length} bytes, at least ${MIN_KEY_BYTES} needed`,
      [diagnostic("KEY_INVALID", `at least ${MIN_KEY_BYTES} bytes needed`, { path: ["key"] })],
      { hint: "Generate one with: openssl rand -base64 32 (and write it as base64:<value>)" },
    );
  }
  return bytes;
}

/** Derives independent 32-byte subkeys from the master key with HMAC-SHA256, one per purpose. */
export class Keyring {
  #master: CryptoKey;
  #cache = new Map<string, Promise<Uint8Array>>();

  private constructor(master: CryptoKey) {
    this.#master = master;
  }

  /** Imports the master key; the bytes are not kept. */
  static async create(master: Uint8Array): Promise<Keyring> {
    const key = await crypto.subtle.importKey(
      "raw",
      master as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    return new Keyring(key);
  }

  /** The subkey for `purpose`, e.g. `domain:person_email` or `plugin:@acme/nhs`. */
  derive(purpose: string): Promise<Uint8Array> {
    let got = this.#cache.get(purpose);
    if (!got) {
      const info = new TextEncoder().encode(`privaci/v1/${purpose}`);
      got = crypto.subtle.sign("HMAC", this.#master, info).then((b) => new Uint8Array(b));
      this.#cache.set(purpose, got);
    }
    return got;
  }
}
