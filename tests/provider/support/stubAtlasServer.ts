import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import http from "node:http";

/** One request the stub received after digest authentication. */
export interface StubRequest {
  method: string;
  path: string;
  /** User name from the Digest Authorization header: the Atlas public key. */
  username: string;
}

/** What a handler returns: the HTTP status and a JSON body. */
export interface StubResponse {
  status: number;
  body?: unknown;
}

/** A running stub of the Atlas Admin API on 127.0.0.1. */
export interface StubAtlasServer {
  baseUrl: string;
  /** Authenticated requests in arrival order. */
  requests: StubRequest[];
  /** Number of requests of any kind, including digest challenges and rejected ones. */
  hits(): number;
  close(): Promise<void>;
}

const REALM = "MMS Public API";

/**
 * Starts an HTTP server on 127.0.0.1 that responds like Atlas: a Digest challenge first, then `handler`'s response
 * when the Authorization header matches one of the `[publicKey, privateKey]` pairs in `keys` (MD5, qop=auth), else 401.
 */
export async function startStubAtlasServer(
  keys: [string, string][],
  handler: (method: string, path: string) => StubResponse,
): Promise<StubAtlasServer> {
  const requests: StubRequest[] = [];
  let hits = 0;
  const nonce = "stubnonce0123456789";

  const server = http.createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on("end", () => {
      const method = req.method ?? "GET";
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const auth = parseDigest(req.headers.authorization);
      const valid =
        auth !== undefined &&
        keys.some(([publicKey, privateKey]) => digestMatches(auth, method, publicKey, privateKey, nonce));
      if (!valid) {
        res.writeHead(401, {
          "content-type": "application/json",
          "www-authenticate": `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth"`,
        });
        res.end(
          JSON.stringify({ detail: "Unauthorized", error: 401, errorCode: "UNAUTHORIZED", reason: "Unauthorized" }),
        );
        return;
      }
      requests.push({ method, path, username: auth?.username ?? "" });
      const response = handler(method, path);
      res.writeHead(response.status, { "content-type": "application/vnd.atlas.2023-01-01+json" });
      res.end(response.body === undefined ? "" : JSON.stringify(response.body));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function parseDigest(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith("Digest ")) {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const match of header.slice("Digest ".length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    fields[match[1]] = match[2] ?? match[3];
  }
  return fields;
}

function digestMatches(
  auth: Record<string, string>,
  method: string,
  publicKey: string,
  privateKey: string,
  nonce: string,
): boolean {
  const md5 = (text: string) => createHash("md5").update(text).digest("hex");
  const ha1 = md5(`${publicKey}:${REALM}:${privateKey}`);
  const ha2 = md5(`${method}:${auth.uri}`);
  const expected = md5(`${ha1}:${nonce}:${auth.nc}:${auth.cnonce}:${auth.qop}:${ha2}`);
  return auth.username === publicKey && auth.nonce === nonce && auth.response === expected;
}
