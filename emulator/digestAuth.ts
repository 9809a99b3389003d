import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKey } from "./types";

/** Realm that Atlas names in its digest challenge. */
export const DIGEST_REALM = "MMS Public API";

/** Upper bound on remembered nonces, so a client that never authenticates cannot grow the table without end. */
const MAX_NONCES = 10_000;

/**
 * Result of checking an `Authorization` header. `stale` means the response hash was right for an expired or
 * unknown nonce; `failed` covers every other rejection, with a `cause` for the request log.
 */
export type DigestVerdict =
  { outcome: "ok"; key: ApiKey } | { outcome: "missing" } | { outcome: "stale" } | { outcome: "failed"; cause: string };

interface NonceRecord {
  issuedAt: number;
  /** Highest nonce count accepted so far; a request must send a larger one. */
  lastNonceCount: number;
}

/** Parses the parameters of a `Digest` credentials or challenge header; returns undefined for another scheme. */
export function parseDigestParameters(header: string): Record<string, string> | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!match) {
    return undefined;
  }
  const parameters: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/g;
  let part: RegExpExecArray | null;
  while ((part = pattern.exec(match[1])) !== null) {
    const quoted = part[2];
    parameters[part[1].toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : part[3];
  }
  return parameters;
}

function md5(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * HTTP Digest authentication as Atlas does it: MD5, qop "auth", the public key as user name and the private key
 * as password. Nonces expire `nonceLifetimeMs` after they are issued, and each nonce count may be used once.
 */
export class DigestAuthenticator {
  private readonly nonces = new Map<string, NonceRecord>();

  constructor(
    private readonly findKey: (publicKey: string) => ApiKey | undefined,
    private readonly nonceLifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a new nonce and returns the `WWW-Authenticate` header value that carries it. */
  challenge(stale: boolean): string {
    this.pruneNonces();
    const nonce = randomBytes(24).toString("base64");
    this.nonces.set(nonce, { issuedAt: this.now(), lastNonceCount: 0 });
    return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
  }

  /** Checks the `Authorization` header of a request whose request target is `url`. */
  verify(method: string, url: string, header: string | undefined): DigestVerdict {
    if (header === undefined || header.trim() === "") {
      return { outcome: "missing" };
    }
    const parameters = parseDigestParameters(header);
    if (parameters === undefined) {
      return { outcome: "failed", cause: "not a Digest authorization" };
    }

    const { username, realm, nonce, uri, response, qop, nc, cnonce } = parameters;
    for (const [name, value] of Object.entries({ username, realm, nonce, uri, response, qop, nc, cnonce })) {
      if (value === undefined || value === "") {
        return { outcome: "failed", cause: `missing digest parameter ${name}` };
      }
    }

    if (realm !== DIGEST_REALM) {
      return { outcome: "failed", cause: "wrong realm" };
    }
    if (parameters.algorithm !== undefined && parameters.algorithm.toUpperCase() !== "MD5") {
      return { outcome: "failed", cause: "unsupported algorithm" };
    }
    if (qop !== "auth") {
      return { outcome: "failed", cause: "qop is not auth" };
    }
    if (!/^[0-9a-fA-F]{8}$/.test(nc)) {
      return { outcome: "failed", cause: "malformed nonce count" };
    }
    if (uri !== url) {
      return { outcome: "failed", cause: "uri does not match the request target" };
    }

    const key = this.findKey(username);
    if (key === undefined) {
      return { outcome: "failed", cause: "unknown user name" };
    }
    const ha1 = md5(`${username}:${realm}:${key.privateKey}`);
    const ha2 = md5(`${method.toUpperCase()}:${uri}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    if (!sameText(expected, response.toLowerCase())) {
      return { outcome: "failed", cause: "wrong response hash" };
    }

    // The hash is right, so a stale challenge lets a client that has the key retry with a fresh nonce.
    const record = this.nonces.get(nonce);
    if (record === undefined || this.now() - record.issuedAt > this.nonceLifetimeMs) {
      return { outcome: "stale" };
    }
    const nonceCount = parseInt(nc, 16);
    if (nonceCount <= record.lastNonceCount) {
      return { outcome: "failed", cause: "nonce count reused" };
    }
    record.lastNonceCount = nonceCount;
    return { outcome: "ok", key };
  }

  /** Forgets every issued nonce, so a later request with any of them gets a stale challenge. */
  clear(): void {
    this.nonces.clear();
  }

  private pruneNonces(): void {
    const now = this.now();
    for (const [nonce, record] of this.nonces) {
      if (now - record.issuedAt > this.nonceLifetimeMs) {
        this.nonces.delete(nonce);
      }
    }
    // Map iteration follows insertion order, so the first entries are the oldest.
    for (const nonce of this.nonces.keys()) {
      if (this.nonces.size < MAX_NONCES) {
        break;
      }
      this.nonces.delete(nonce);
    }
  }
}
