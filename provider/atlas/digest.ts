import { createHash, randomBytes } from "node:crypto";

/** A Digest challenge from a `WWW-Authenticate` header, with lower-case parameter names. */
export interface DigestChallenge {
  params: Record<string, string>;
  /** True when the server rejected only the nonce, because it expired, and accepts the same key with a new one. */
  stale: boolean;
}

/** Authorization header for one request, and the nonce state it was computed from. */
export interface DigestCredentials {
  header: string;
  /**
   * True when the header reuses the nonce of an earlier exchange with a higher nonce count, false when it responds
   * to a challenge of this exchange with nonce count 00000001.
   */
  reused: boolean;
  /** The nonce used, so {@link DigestSession.confirm} can share a fresh nonce once the server accepted it. */
  readonly nonce: DigestNonce;
}

/** A server nonce and the last nonce count sent with it. */
export interface DigestNonce {
  challenge: DigestChallenge;
  count: number;
}

/** Node hash names for the digest algorithms this client supports, keyed by upper-case algorithm token. */
const DIGEST_HASHES: Record<string, string> = {
  MD5: "md5",
  "MD5-SESS": "md5",
  "SHA-256": "sha256",
  "SHA-256-SESS": "sha256",
};

/**
 * HTTP Digest state of one client (RFC 7616): the last nonce that authenticated a request, and its nonce count.
 * Reusing the nonce lets an authenticated client send one request per call instead of two. Every header the session
 * builds carries a nonce count above all earlier ones for that nonce, also for requests sent in parallel.
 */
export class DigestSession {
  readonly #username: string;
  readonly #password: string;
  #shared: DigestNonce | undefined;

  /** Creates a session without a nonce; `username` and `password` are the Atlas public and private keys. */
  constructor(username: string, password: string) {
    this.#username = username;
    this.#password = password;
  }

  /**
   * Returns credentials that reuse the shared nonce with the next nonce count, or undefined before any nonce
   * authenticated a request. Throws an Error when the stored challenge requests an algorithm or qop this
   * client does not support.
   */
  reuse(method: string, target: string): DigestCredentials | undefined {
    const nonce = this.#shared;
    if (nonce === undefined) {
      return undefined;
    }
    nonce.count += 1;
    return { header: this.#header(method, target, nonce), reused: true, nonce };
  }

  /**
   * Returns credentials for a new challenge with nonce count 00000001. The nonce stays private to this request
   * until {@link confirm}, so that no parallel request can send a higher count first and make the server reject
   * this one. Throws an Error for an algorithm or qop this client does not support.
   */
  respond(challenge: DigestChallenge, method: string, target: string): DigestCredentials {
    const nonce: DigestNonce = { challenge, count: 1 };
    return { header: this.#header(method, target, nonce), reused: false, nonce };
  }

  /** Shares the nonce of `credentials` with later requests once the server accepted it. */
  confirm(credentials: DigestCredentials): void {
    if (!credentials.reused) {
      this.#shared = credentials.nonce;
    }
  }

  /** Builds the Digest Authorization header with the nonce count in `nonce`. */
  #header(method: string, target: string, nonce: DigestNonce): string {
    const { params } = nonce.challenge;
    const algorithm = params.algorithm ?? "MD5";
    const hashName = DIGEST_HASHES[algorithm.toUpperCase()];
    if (hashName === undefined) {
      throw new Error(`Atlas requested the digest algorithm ${algorithm}, which this client does not support`);
    }
    const offeredQops = (params.qop ?? "")
      .split(",")
      .map((qop) => qop.trim())
      .filter((qop) => qop !== "");
    if (offeredQops.length > 0 && !offeredQops.includes("auth")) {
      throw new Error(`Atlas requested the digest qop "${params.qop}", which this client does not support`);
    }

    const hash = (text: string) => createHash(hashName).update(text, "utf8").digest("hex");
    const realm = params.realm ?? "";
    const nonceValue = params.nonce;
    const nonceCount = nonce.count.toString(16).padStart(8, "0");
    const cnonce = randomBytes(16).toString("hex");

    let ha1 = hash(`${this.#username}:${realm}:${this.#password}`);
    if (algorithm.toUpperCase().endsWith("-SESS")) {
      ha1 = hash(`${ha1}:${nonceValue}:${cnonce}`);
    }
    const ha2 = hash(`${method}:${target}`);
    const qop = offeredQops.length > 0 ? "auth" : undefined;
    const digest = qop
      ? hash(`${ha1}:${nonceValue}:${nonceCount}:${cnonce}:${qop}:${ha2}`)
      : hash(`${ha1}:${nonceValue}:${ha2}`);

    const fields = [
      `username=${quote(this.#username)}`,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonceValue)}`,
      `uri=${quote(target)}`,
      `algorithm=${algorithm}`,
      `response=${quote(digest)}`,
    ];
    if (qop) {
      fields.push(`qop=${qop}`, `nc=${nonceCount}`, `cnonce=${quote(cnonce)}`);
    }
    if (params.opaque !== undefined) {
      fields.push(`opaque=${quote(params.opaque)}`);
    }
    return `Digest ${fields.join(", ")}`;
  }
}

/** Returns the Digest challenge of a 401 response, or undefined for another status or a 401 without one. */
export function digestChallengeOf(
  status: number,
  headers: Record<string, string | string[] | undefined>,
): DigestChallenge | undefined {
  if (status !== 401) {
    return undefined;
  }
  const header = headers["www-authenticate"];
  let values: string[] = [];
  if (Array.isArray(header)) {
    values = header;
  } else if (header !== undefined) {
    values = [header];
  }
  for (const value of values) {
    for (const challenge of parseChallenges(value)) {
      if (challenge.scheme === "digest" && challenge.params.nonce !== undefined) {
        return { params: challenge.params, stale: challenge.params.stale?.toLowerCase() === "true" };
      }
    }
  }
  return undefined;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Parses a WWW-Authenticate value into challenges with lower-case scheme and parameter names. */
function parseChallenges(header: string): { scheme: string; params: Record<string, string> }[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = header;
  for (;;) {
    rest = rest.replace(/^[\s,]+/, "");
    const token = TOKEN.exec(rest)?.[0];
    if (token === undefined) {
      return challenges;
    }
    rest = rest.slice(token.length);
    const equals = /^\s*=\s*/.exec(rest);
    const current = challenges.at(-1);
    if (equals === null || current === undefined) {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
      continue;
    }
    rest = rest.slice(equals[0].length);
    let value: string;
    if (rest.startsWith('"')) {
      [value, rest] = readQuotedString(rest);
    } else {
      value = TOKEN.exec(rest)?.[0] ?? "";
      rest = rest.slice(value.length);
    }
    current.params[token.toLowerCase()] = value;
  }
}

/** Reads a quoted-string at the start of `text`; returns its unescaped value and the text after it. */
function readQuotedString(text: string): [string, string] {
  let value = "";
  let index = 1;
  while (index < text.length && text[index] !== '"') {
    if (text[index] === "\\" && index + 1 < text.length) {
      index++;
    }
    value += text[index];
    index++;
  }
  return [value, text.slice(index + 1)];
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}
