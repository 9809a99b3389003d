import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Realm Atlas uses in its digest challenges. */
export const ATLAS_REALM = "MMS Public API";

/** One request as the stub received it. */
export interface RecordedRequest {
  method: string;
  /** Request target exactly as sent, such as `/api/atlas/v2/groups/a%2Fb/...`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Fields of the Digest Authorization header, when the request carried one. */
  authorization?: Record<string, string>;
  /** True when the Authorization header carried the response hash the stub computed for its key pair. */
  digestValid: boolean;
}

/** What the route handler sends back for an authenticated request. */
export interface StubReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Returns the reply for an authenticated request, or "hang" to never respond, or "reset" to drop the socket. */
export type StubHandler = (request: RecordedRequest) => StubReply | "hang" | "reset";

/** Settings of the digest challenge the stub issues. */
export interface AtlasStubOptions {
  publicKey: string;
  privateKey: string;
  /** Digest algorithm token sent in challenges; defaults to MD5 as Atlas sends. */
  algorithm?: string;
  /** qop value sent in challenges; defaults to "auth", and null leaves qop out. */
  qop?: string | null;
  opaque?: string;
}

const HASH_NAMES: Record<string, string> = {
  MD5: "md5",
  "MD5-SESS": "md5",
  "SHA-256": "sha256",
  "SHA-256-SESS": "sha256",
};

/**
 * Local HTTP server that authenticates like Atlas (HTTP Digest, checked with its own hash code) and records every
 * request. Authenticated requests go to `handler`.
 */
export class AtlasStub {
  readonly requests: RecordedRequest[] = [];
  /** Nonces the stub issued, in order. */
  readonly nonces: string[] = [];
  /** Replies to authenticated requests; defaults to 200 with `{}`. */
  handler: StubHandler = () => ({ status: 200, body: "{}" });
  /** Number of valid Digest Authorization headers still to reject with a stale=true challenge. */
  staleAnswers = 0;

  readonly #server: Server;
  readonly #options: AtlasStubOptions;
  readonly #usedNonces = new Set<string>();
  readonly #revokedNonces = new Set<string>();
  #revokeLaterNonces = false;

  private constructor(server: Server, options: AtlasStubOptions) {
    this.#server = server;
    this.#options = options;
  }

  /** Starts a stub on 127.0.0.1 on `port`, or on a free port when `port` is 0. */
  static async start(options: AtlasStubOptions, port = 0): Promise<AtlasStub> {
    const server = createServer();
    const stub = new AtlasStub(server, options);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => stub.#receive(req, res));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return stub;
  }

  /**
   * Makes the stub reject every nonce issued so far with a plain 401 (stale=false), as a server does that forgot
   * them. With `includingLater`, nonces issued later are rejected too, so no request authenticates any more.
   */
  revokeNonces(options: { includingLater?: boolean } = {}): void {
    for (const nonce of this.nonces) {
      this.#revokedNonces.add(nonce);
    }
    this.#revokeLaterNonces = options.includingLater ?? false;
  }

  /** http URL of the stub, without a trailing slash. */
  get baseUrl(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Stops the stub and drops open connections, including requests the handler left hanging. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const header = req.headers.authorization;
      const authorization = header?.startsWith("Digest ") ? parseDigestFields(header.slice(7)) : undefined;
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        authorization,
        digestValid: false,
      };
      recorded.digestValid = authorization !== undefined && this.#verify(recorded.method, recorded.url, authorization);
      this.requests.push(recorded);
      this.#reply(recorded, res);
    });
  }

  #reply(recorded: RecordedRequest, res: ServerResponse): void {
    if (!recorded.digestValid) {
      this.#challenge(res, false);
      return;
    }
    if (this.staleAnswers > 0) {
      this.staleAnswers--;
      this.#challenge(res, true);
      return;
    }
    const reply = this.handler(recorded);
    if (reply === "hang") {
      return;
    }
    if (reply === "reset") {
      res.socket?.destroy();
      return;
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body ?? "");
  }

  #challenge(res: ServerResponse, stale: boolean): void {
    const nonce = randomBytes(12).toString("base64url");
    this.nonces.push(nonce);
    if (this.#revokeLaterNonces) {
      this.#revokedNonces.add(nonce);
    }
    const { algorithm = "MD5", qop = "auth", opaque } = this.#options;
    let value = `Digest realm="${ATLAS_REALM}", domain="", nonce="${nonce}", algorithm=${algorithm}`;
    if (qop !== null) {
      value += `, qop="${qop}"`;
    }
    if (opaque !== undefined) {
      value += `, opaque="${opaque}"`;
    }
    value += `, stale=${stale}`;
    res.writeHead(401, { "www-authenticate": value, "content-type": "application/json" });
    res.end(
      JSON.stringify({
        detail: "You are not authorized for this resource.",
        error: 401,
        errorCode: "UNAUTHORIZED",
        parameters: [],
        reason: "Unauthorized",
      }),
    );
  }

  /** Checks a Digest Authorization header with the stub's key pair. Each nonce and nc pair is accepted once. */
  #verify(method: string, url: string, fields: Record<string, string>): boolean {
    const { algorithm = "MD5", qop = "auth", opaque, publicKey, privateKey } = this.#options;
    const hashName = HASH_NAMES[algorithm.toUpperCase()];
    const nonce = fields.nonce;
    if (hashName === undefined || nonce === undefined || !this.nonces.includes(nonce)) {
      return false;
    }
    if (this.#revokedNonces.has(nonce)) {
      return false;
    }
    if (fields.username !== publicKey || fields.realm !== ATLAS_REALM || fields.uri !== url) {
      return false;
    }
    if (opaque !== undefined && fields.opaque !== opaque) {
      return false;
    }
    const replayKey = `${nonce}/${fields.nc ?? ""}`;
    if (this.#usedNonces.has(replayKey)) {
      return false;
    }
    const md = (text: string) => createHash(hashName).update(text).digest("hex");
    let ha1 = md(`${publicKey}:${ATLAS_REALM}:${privateKey}`);
    if (algorithm.toUpperCase().endsWith("-SESS")) {
      ha1 = md(`${ha1}:${nonce}:${fields.cnonce ?? ""}`);
    }
    const ha2 = md(`${method}:${url}`);
    const expected =
      qop === null
        ? md(`${ha1}:${nonce}:${ha2}`)
        : md(`${ha1}:${nonce}:${fields.nc ?? ""}:${fields.cnonce ?? ""}:${fields.qop ?? ""}:${ha2}`);
    if (fields.response !== expected) {
      return false;
    }
    this.#usedNonces.add(replayKey);
    return true;
  }
}

/** Parses `name="quoted", name=token` pairs of a Digest Authorization header. */
export function parseDigestFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const pattern = /([a-zA-Z]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const match of text.matchAll(pattern)) {
    const quoted = match[2];
    fields[match[1]] = quoted === undefined ? (match[3] ?? "") : quoted.replace(/\\(.)/g, "$1");
  }
  return fields;
}
