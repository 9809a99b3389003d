import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { request as sendHttpRequest } from "urllib";

/** Media type of the Atlas Admin API v2 version this client speaks, sent as Accept and as the body Content-Type. */
export const ATLAS_API_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";

const PACKAGE_NAME = "pulumi-atlas-privatelink";

/** HTTP methods the Atlas client sends. */
export type HttpMethod = "GET" | "POST" | "DELETE";

/** One HTTP response, with the body as text. */
export interface AtlasResponse {
  method: HttpMethod;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Request path as sent, without scheme and host. */
  path: string;
}

/** One HTTP request to Atlas. */
export interface AtlasHttpRequest {
  method: HttpMethod;
  url: URL;
  /** Request body; undefined for none. */
  content?: string;
  /** Content-Type of `content`. Defaults to the Atlas media type. */
  contentType?: string;
  /** Accept header value. Defaults to the Atlas media type. */
  accept?: string;
  /** Authorization header value; undefined for none. */
  authorization?: string;
  userAgent: string;
  /** Time limit in milliseconds for this request. */
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Sends one request without following redirects or retrying, and returns the response whatever its status. Rejects
 * with urllib's error when no response arrives; pass the error through {@link sanitizeError} before showing it.
 */
export async function sendAtlasRequest(request: AtlasHttpRequest): Promise<AtlasResponse> {
  const headers: Record<string, string> = {
    accept: request.accept ?? ATLAS_API_MEDIA_TYPE,
    "user-agent": request.userAgent,
  };
  if (request.content !== undefined) {
    headers["content-type"] = request.contentType ?? ATLAS_API_MEDIA_TYPE;
  }
  if (request.authorization !== undefined) {
    headers.authorization = request.authorization;
  }
  // The digest exchange is done by the client rather than with urllib's digestAuth option, because urllib 4.9 counts
  // nonces process-wide and returns a stale=true 401 to the caller. This also keeps the private key out of the
  // request options that urllib publishes on its diagnostics channels.
  const response = await sendHttpRequest<Buffer>(request.url, {
    method: request.method,
    headers,
    content: request.content,
    dataType: "buffer",
    timeout: request.timeoutMs,
    signal: request.signal,
    followRedirect: false,
    retry: 0,
    socketErrorRetry: 0,
    timing: false,
  });
  return {
    method: request.method,
    status: response.status,
    headers: response.headers,
    text: response.data.toString("utf8"),
    path: request.url.pathname,
  };
}

/**
 * Copies an error into a plain Error with only name, message, code, stack and cause, all redacted. urllib and
 * undici errors carry sockets, responses and request state that must not reach logs or serialized state.
 */
export function sanitizeError(err: unknown, redact: (text: string) => string, depth = 0): Error {
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
export function defaultUserAgent(): string {
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
