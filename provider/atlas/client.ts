import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { request as sendHttpRequest } from "urllib";

import { MissingCredentialsError, normalizeBaseUrl } from "./credentials";
import type { CredentialName } from "./credentials";
import { AtlasApiError, AtlasRequestError, excerptBody } from "./errors";
import type { AtlasApi, EndpointService, InterfaceEndpoint } from "./types";

/** Media type of the Atlas Admin API version this client speaks, sent as Accept and as the body Content-Type. */
export const ATLAS_API_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

/** Time limit in milliseconds for one API call when {@link AtlasClientOptions.timeoutMs} is not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const PACKAGE_NAME = "pulumi-atlas-privatelink";
const API_PREFIX = "/api/atlas/v2";

/** Settings for an {@link AtlasClient}. */
export interface AtlasClientOptions {
  /** http or https URL of Atlas, such as `https://cloud.mongodb.com`; trailing slashes are ignored. */
  baseUrl: string;
  /** Public key of the programmatic API key, sent as the digest user name. */
  publicKey: string;
  /** Private key of the programmatic API key, used as the digest password and never sent. */
  privateKey: string;
  /** Time limit in milliseconds for one API call including its digest round trips. Defaults to 30000. */
  timeoutMs?: number;
  /** User-Agent header value. Defaults to `pulumi-atlas-privatelink/<package version>`. */
  userAgent?: string;
}

type HttpMethod = "GET" | "POST" | "DELETE";

interface AtlasResponse {
  method: HttpMethod;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Request path as sent, without scheme and host. */
  path: string;
}

interface DigestChallenge {
  params: Record<string, string>;
  stale: boolean;
}

/** Node hash names for the digest algorithms this client supports, keyed by upper-case algorithm token. */
const DIGEST_HASHES: Record<string, string> = {
  MD5: "md5",
  "MD5-SESS": "md5",
  "SHA-256": "sha256",
  "SHA-256-SESS": "sha256",
};

/**
 * Atlas Admin API v2 client for AWS private endpoint services and interface endpoints, authenticated with HTTP
 * Digest. Methods reject with {@link AtlasApiError} for a non-2xx response, with {@link AtlasRequestError} when
 * no usable response arrives (connection failure, time limit, or a 2xx body that is not the expected JSON), and
 * with an Error before sending when an id is empty, "." or "..".
 */
export class AtlasClient implements AtlasApi {
  readonly #baseUrl: string;
  readonly #publicKey: string;
  readonly #privateKey: string;
  readonly #timeoutMs: number;
  readonly #userAgent: string;

  /**
   * Creates a client without sending anything. Throws {@link MissingCredentialsError} when a key is empty, and an
   * Error when `baseUrl` is not an http or https URL or `timeoutMs` is not a positive number.
   */
  constructor(options: AtlasClientOptions) {
    const missing: CredentialName[] = [];
    if (options.publicKey === "") {
      missing.push("publicKey");
    }
    if (options.privateKey === "") {
      missing.push("privateKey");
    }
    if (missing.length > 0) {
      throw new MissingCredentialsError(missing);
    }
    this.#baseUrl = normalizeBaseUrl(options.baseUrl);
    this.#publicKey = options.publicKey;
    this.#privateKey = options.privateKey;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new Error(`Invalid Atlas request timeout ${timeoutMs} ms: it must be a positive number of milliseconds.`);
    }
    this.#timeoutMs = timeoutMs;
    this.#userAgent = options.userAgent ?? defaultUserAgent();
  }

  /** Attaches the AWS interface endpoint `interfaceEndpointId` (a vpce id) to the endpoint service. */
  async createInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint> {
    const path = `${servicePath(projectId, privateLinkId)}/endpoint`;
    return await this.#requestObject<InterfaceEndpoint>("POST", path, { id: interfaceEndpointId });
  }

  /** Reads one interface endpoint of the endpoint service. */
  async getInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint> {
    return await this.#requestObject<InterfaceEndpoint>(
      "GET",
      interfaceEndpointPath(projectId, privateLinkId, interfaceEndpointId),
    );
  }

  /** Requests removal of the interface endpoint; resolves on any 2xx response. */
  async deleteInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): Promise<void> {
    await this.request("DELETE", interfaceEndpointPath(projectId, privateLinkId, interfaceEndpointId));
  }

  /** Creates an AWS endpoint service in `region`, an AWS region name such as `us-east-1`. */
  async createEndpointService(projectId: string, region: string): Promise<EndpointService> {
    const path = `${groupPath(projectId)}/endpointService`;
    return await this.#requestObject<EndpointService>("POST", path, { providerName: "AWS", region });
  }

  /** Reads one AWS endpoint service. */
  async getEndpointService(projectId: string, privateLinkId: string): Promise<EndpointService> {
    return await this.#requestObject<EndpointService>("GET", servicePath(projectId, privateLinkId));
  }

  /**
   * Lists the project's AWS endpoint services. Accepts the bare JSON array Atlas returns, and also a
   * `{"results": [...]}` page in case a later API version wraps the list.
   */
  async listEndpointServices(projectId: string): Promise<EndpointService[]> {
    const response = await this.request("GET", `${groupPath(projectId)}/AWS/endpointService`);
    const body = parseJsonBody(response);
    if (Array.isArray(body)) {
      return body as EndpointService[];
    }
    if (isJsonObject(body) && Array.isArray(body.results)) {
      return body.results as EndpointService[];
    }
    throw new AtlasRequestError({
      method: response.method,
      path: response.path,
      failure: `Atlas returned ${response.status} with a JSON body that is not a list of endpoint services`,
    });
  }

  /** Requests removal of the endpoint service; resolves on any 2xx response. */
  async deleteEndpointService(projectId: string, privateLinkId: string): Promise<void> {
    await this.request("DELETE", servicePath(projectId, privateLinkId));
  }

  /**
   * Sends one API call and returns its 2xx response, or throws {@link AtlasApiError} or {@link AtlasRequestError}.
   * Every method goes through here, so a retry policy belongs here. `path` starts with `/api/` and has its
   * parameters percent-encoded already; `body` is sent as JSON.
   */
  private async request(method: HttpMethod, path: string, body?: unknown): Promise<AtlasResponse> {
    const url = new URL(`${this.#baseUrl}${path}`);
    const target = `${url.pathname}${url.search}`;
    const content = body === undefined ? undefined : JSON.stringify(body);

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);

    try {
      const send = (authorization?: string) => this.#send(method, url, content, authorization, controller.signal);

      // Atlas replies to the first request with a digest challenge, and the second request carries the
      // Authorization header computed from it.
      let response = await send();
      const challenge = digestChallengeOf(response);
      if (challenge) {
        response = await send(this.#authorization(method, target, challenge));
        // stale=true means the nonce expired although the Authorization header was otherwise valid, so one more
        // request with the new nonce from this response must succeed.
        const retryChallenge = digestChallengeOf(response);
        if (retryChallenge?.stale) {
          response = await send(this.#authorization(method, target, retryChallenge));
        }
      }

      if (response.status < 200 || response.status > 299) {
        throw new AtlasApiError({
          method,
          path: url.pathname,
          statusCode: response.status,
          body: this.#redact(response.text),
          retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]),
        });
      }
      return response;
    } catch (err) {
      if (err instanceof AtlasApiError || err instanceof AtlasRequestError) {
        throw err;
      }
      throw this.#requestError(method, url.pathname, err, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  async #requestObject<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    const parsed = parseJsonBody(response);
    if (!isJsonObject(parsed)) {
      throw new AtlasRequestError({
        method,
        path: response.path,
        failure: `Atlas returned ${response.status} with a JSON body that is not an object`,
      });
    }
    return parsed as T;
  }

  async #send(
    method: HttpMethod,
    url: URL,
    content: string | undefined,
    authorization: string | undefined,
    signal: AbortSignal,
  ): Promise<AtlasResponse> {
    const headers: Record<string, string> = { accept: ATLAS_API_MEDIA_TYPE, "user-agent": this.#userAgent };
    if (content !== undefined) {
      headers["content-type"] = ATLAS_API_MEDIA_TYPE;
    }
    if (authorization !== undefined) {
      headers.authorization = authorization;
    }
    // The digest exchange is done here rather than with urllib's digestAuth option, because urllib 4.9 counts
    // nonces process-wide (so nc is not 00000001 for a fresh nonce after the first call) and returns a stale=true
    // 401 to the caller. This also keeps the private key out of the request options that urllib publishes on its
    // diagnostics channels.
    const response = await sendHttpRequest<Buffer>(url, {
      method,
      headers,
      content,
      dataType: "buffer",
      timeout: this.#timeoutMs,
      signal,
      followRedirect: false,
      retry: 0,
      socketErrorRetry: 0,
      timing: false,
    });
    return {
      method,
      status: response.status,
      headers: response.headers,
      text: response.data.toString("utf8"),
      path: url.pathname,
    };
  }

  /** Builds the Digest Authorization header for `challenge`. Each nonce serves one request, so nc is 00000001. */
  #authorization(method: HttpMethod, target: string, challenge: DigestChallenge): string {
    const { params } = challenge;
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
    const nonce = params.nonce;
    const nonceCount = "00000001";
    const cnonce = randomBytes(16).toString("hex");

    let ha1 = hash(`${this.#publicKey}:${realm}:${this.#privateKey}`);
    if (algorithm.toUpperCase().endsWith("-SESS")) {
      ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
    }
    const ha2 = hash(`${method}:${target}`);
    const qop = offeredQops.length > 0 ? "auth" : undefined;
    const digest = qop ? hash(`${ha1}:${nonce}:${nonceCount}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);

    const fields = [
      `username=${quote(this.#publicKey)}`,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonce)}`,
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

  #requestError(method: HttpMethod, path: string, err: unknown, timedOut: boolean): AtlasRequestError {
    const cause = sanitizeError(err, (text) => this.#redact(text));
    const name = err instanceof Error ? err.name : "";
    if (timedOut || name === "HttpClientRequestTimeoutError" || name === "HttpClientConnectTimeoutError") {
      return new AtlasRequestError({
        method,
        path,
        failure: `timed out after ${this.#timeoutMs} ms`,
        timedOut: true,
        cause,
      });
    }
    return new AtlasRequestError({ method, path, failure: cause.message, cause });
  }

  /** Replaces both keys wherever they occur in `text`, such as an Atlas error detail that quotes the public key. */
  #redact(text: string): string {
    let redacted = text;
    for (const secret of [this.#privateKey, this.#publicKey]) {
      if (secret !== "") {
        redacted = redacted.split(secret).join("[redacted]");
      }
    }
    return redacted;
  }
}

function groupPath(projectId: string): string {
  return `${API_PREFIX}/groups/${pathSegment(projectId, "projectId")}/privateEndpoint`;
}

function servicePath(projectId: string, privateLinkId: string): string {
  return `${groupPath(projectId)}/AWS/endpointService/${pathSegment(privateLinkId, "privateLinkId")}`;
}

function interfaceEndpointPath(projectId: string, privateLinkId: string, interfaceEndpointId: string): string {
  const endpointId = pathSegment(interfaceEndpointId, "interfaceEndpointId");
  return `${servicePath(projectId, privateLinkId)}/endpoint/${endpointId}`;
}

/**
 * Percent-encodes one path parameter. Empty, "." and ".." are rejected because URL parsing would drop or
 * collapse them (also when percent-encoded) and the request would reach a different resource.
 */
function pathSegment(value: string, name: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new Error(`Invalid ${name} "${value}": an Atlas path parameter must not be empty, "." or "..".`);
  }
  return encodeURIComponent(value);
}

function digestChallengeOf(response: AtlasResponse): DigestChallenge | undefined {
  if (response.status !== 401) {
    return undefined;
  }
  const header = response.headers["www-authenticate"];
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

function parseJsonBody(response: AtlasResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    const description =
      response.text.trim() === "" ? "an empty body" : `a body that is not JSON: ${excerptBody(response.text)}`;
    throw new AtlasRequestError({
      method: response.method,
      path: response.path,
      failure: `Atlas returned ${response.status} with ${description}`,
    });
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns the Retry-After header in whole seconds (rounded up for an HTTP date), or undefined. */
function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Copies an error into a plain Error with only name, message, code, stack and cause, all redacted. urllib and
 * undici errors carry sockets, responses and request state that must not reach logs or serialized state.
 */
function sanitizeError(err: unknown, redact: (text: string) => string, depth = 0): Error {
  if (!(err instanceof Error)) {
    return new Error(redact(String(err)));
  }
  const copy = new Error(redact(describeError(err)));
  copy.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    Object.defineProperty(copy, "code", { value: code, enumerable: true });
  }
  copy.stack = err.stack === undefined ? undefined : redact(err.stack);
  if (err.cause !== undefined && depth < 3) {
    copy.cause = sanitizeError(err.cause, redact, depth + 1);
  }
  return copy;
}

/** Returns a one-line description: the message, else the first inner error of an AggregateError, else the code. */
function describeError(err: Error): string {
  const code = (err as { code?: unknown }).code;
  let message = err.message;
  if (message === "" && err instanceof AggregateError) {
    const first: unknown = err.errors[0];
    message = first instanceof Error ? first.message : "";
  }
  if (message === "") {
    return typeof code === "string" ? code : err.name;
  }
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}

let cachedUserAgent: string | undefined;

/** Returns `pulumi-atlas-privatelink/<version>`, with "unknown" when the package.json cannot be found. */
function defaultUserAgent(): string {
  cachedUserAgent ??= `${PACKAGE_NAME}/${findPackageVersion(__dirname) ?? "unknown"}`;
  return cachedUserAgent;
}

/** Walks up from `startDir` to the package.json named pulumi-atlas-privatelink and returns its version. */
function findPackageVersion(startDir: string): string | undefined {
  for (let dir = startDir; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") {
        return manifest.version;
      }
    } catch {
      // No readable package.json here: keep walking up.
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}
