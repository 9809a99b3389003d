import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { IncomingHttpHeaders } from "node:http";

/** Versioned media type the tests send; written out here so the tests do not depend on the emulator's constants. */
export const ATLAS_ACCEPT = "application/vnd.atlas.2023-01-01+json";

/** A raw HTTP response with its body as text and, when it parses, as JSON. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface RawRequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one HTTP request and reads the whole response; rejects when the connection fails. */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers["Content-Length"] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, method, path: `${url.pathname}${url.search}`, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text === "" ? undefined : (JSON.parse(text) as unknown);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on("error", reject);
    if (options.body !== undefined) {
      request.write(options.body);
    }
    request.end();
  });
}

function md5(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** Parses a `WWW-Authenticate: Digest ...` challenge into lower-cased parameter names and unquoted values. */
export function parseChallenge(header: string | string[] | undefined): Record<string, string> {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !value.startsWith("Digest ")) {
    throw new Error(`Expected a Digest challenge, got ${String(value)}`);
  }
  const parameters: Record<string, string> = {};
  const pattern = /(\w+)=(?:"([^"]*)"|([^,\s]*))/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(value.slice("Digest ".length))) !== null) {
    parameters[match[1].toLowerCase()] = match[2] ?? match[3];
  }
  return parameters;
}

/** Inputs of one digest `Authorization` header, following RFC 2617 with qop=auth and MD5. */
export interface DigestInputs {
  username: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  realm: string;
  nonceCount: number;
  cnonce?: string;
}

/** Builds an `Authorization` header for the given inputs. */
export function digestAuthorization(inputs: DigestInputs): string {
  const nc = inputs.nonceCount.toString(16).padStart(8, "0");
  const cnonce = inputs.cnonce ?? randomBytes(8).toString("hex");
  const ha1 = md5(`${inputs.username}:${inputs.realm}:${inputs.password}`);
  const ha2 = md5(`${inputs.method}:${inputs.uri}`);
  const response = md5(`${ha1}:${inputs.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return (
    `Digest username="${inputs.username}", realm="${inputs.realm}", nonce="${inputs.nonce}", uri="${inputs.uri}", ` +
    `algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"`
  );
}

export interface AtlasRequestOptions {
  body?: unknown;
  /** Raw body text, sent as is instead of `body`. */
  rawBody?: string;
  /** Accept header; the versioned Atlas media type by default, null to send none. */
  accept?: string | null;
  /** Further headers, such as Host, sent with every attempt of the request. */
  headers?: Record<string, string>;
}

/**
 * A small Atlas API client for the tests with its own digest implementation. It keeps the last nonce and a
 * nonce count, and handles a 401 challenge (stale or not) by retrying once with the new nonce.
 */
export class AtlasTestClient {
  private nonce: string | undefined;
  private realm = "";
  private nonceCount = 0;

  constructor(
    readonly baseUrl: string,
    readonly username: string,
    readonly password: string,
  ) {}

  async request(method: string, path: string, options: AtlasRequestOptions = {}): Promise<RawResponse> {
    let response = await this.send(method, path, options);
    if (response.status === 401 && response.headers["www-authenticate"] !== undefined) {
      const challenge = parseChallenge(response.headers["www-authenticate"]);
      this.nonce = challenge.nonce;
      this.realm = challenge.realm;
      this.nonceCount = 0;
      response = await this.send(method, path, options);
    }
    return response;
  }

  get(path: string, options?: AtlasRequestOptions): Promise<RawResponse> {
    return this.request("GET", path, options);
  }

  post(path: string, body: unknown, options?: AtlasRequestOptions): Promise<RawResponse> {
    return this.request("POST", path, { ...options, body });
  }

  delete(path: string, options?: AtlasRequestOptions): Promise<RawResponse> {
    return this.request("DELETE", path, options);
  }

  private send(method: string, path: string, options: AtlasRequestOptions): Promise<RawResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const accept = options.accept === undefined ? ATLAS_ACCEPT : options.accept;
    if (accept !== null) {
      headers.Accept = accept;
    }
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
    }
    if (body !== undefined) {
      headers["Content-Type"] = ATLAS_ACCEPT;
    }
    if (this.nonce !== undefined) {
      this.nonceCount += 1;
      headers.Authorization = digestAuthorization({
        username: this.username,
        password: this.password,
        method,
        uri: path,
        nonce: this.nonce,
        realm: this.realm,
        nonceCount: this.nonceCount,
      });
    }
    return rawRequest(this.baseUrl, method, path, { headers, body });
  }
}

/** Client for the emulator's control routes; returns the raw response so tests can check failures too. */
export class ControlClient {
  constructor(readonly baseUrl: string) {}

  call(method: string, route: string, body?: unknown): Promise<RawResponse> {
    return rawRequest(this.baseUrl, method, `/__emulator/${route}`, {
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Calls a control route and returns its JSON body; throws when the status is not 2xx. */
  async ok<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await this.call(method, route, body);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`control ${method} ${route} returned ${response.status}: ${response.text}`);
    }
    return response.json as T;
  }
}

/** Polls `read` every `intervalMs` until `done` accepts its value; rejects after `timeoutMs` with the last value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 8000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Returns a random AWS interface endpoint id with 17 hex characters. */
export function randomVpceId(): string {
  return `vpce-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

/** Paths of the Atlas v2 PrivateLink routes for one project, written out from the API reference. */
export function atlasPaths(groupId: string) {
  const root = `/api/atlas/v2/groups/${groupId}/privateEndpoint`;
  return {
    createService: `${root}/endpointService`,
    listServices: `${root}/AWS/endpointService`,
    service: (serviceId: string) => `${root}/AWS/endpointService/${serviceId}`,
    endpoints: (serviceId: string) => `${root}/AWS/endpointService/${serviceId}/endpoint`,
    endpoint: (serviceId: string, endpointId: string) =>
      `${root}/AWS/endpointService/${serviceId}/endpoint/${endpointId}`,
  };
}
