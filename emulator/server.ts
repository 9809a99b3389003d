import { createServer } from "node:http";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { AccessTokenIssuer } from "./accessTokens";
import type { AccessTokenSettings } from "./accessTokens";
import { ApiAuthenticator } from "./apiAuth";
import { handleAtlasRequest } from "./atlasRoutes";
import { CONTROL_PREFIX, handleControlRequest } from "./control";
import type { ControlContext } from "./control";
import { DigestAuthenticator } from "./digestAuth";
import {
  AtlasError,
  invalidClient,
  OAuthError,
  rateLimited,
  resourceNotFound,
  unauthorized,
  unexpectedError,
} from "./errors";
import { FaultInjector, faultError } from "./faults";
import type { FaultRule } from "./faults";
import { KeyRing } from "./keys";
import { handleLegacyRequest, isLegacyPath } from "./legacyRoutes";
import { authenticateClient, isOAuthPath, issueToken, requirePost, revokeToken, TOKEN_PATH } from "./oauthRoutes";
import { TokenBucket } from "./rateLimit";
import { RequestLog, redactQuery } from "./requestLog";
import type { RequestLogEntry } from "./requestLog";
import { ServiceAccountRegistry } from "./serviceAccounts";
import { Store } from "./store";
import type { ApiKey, RateLimitConfig, ServiceAccount, TransitionTiming } from "./types";
import { ATLAS_MEDIA_TYPE } from "./types";

/** The emulator always listens on this address only, so the control interface stays local. */
export const EMULATOR_HOST = "127.0.0.1";

/** Largest request body read, in bytes; larger requests get 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Fully resolved settings of an {@link EmulatorServer}. */
export interface EmulatorServerConfig {
  primaryKey: ApiKey;
  projectId: string;
  timing: TransitionTiming;
  nonceLifetimeMs: number;
  rateLimit: RateLimitConfig | null;
  /** Service accounts at start and after a reset; the list is never empty. */
  serviceAccounts: ServiceAccount[];
  /** Token lifetime and limits at start and after a reset. */
  tokens: AccessTokenSettings;
  removeServiceWithLastEndpoint: boolean;
  /** PEM certificate and key of the HTTPS listener, which exists only when they are given. */
  https?: { cert: string | Buffer; key: string | Buffer };
  onRequestLogged?: (line: string) => void;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

/** Marks a request whose socket a fault destroyed instead of sending a response. */
const DROPPED = Symbol("dropped");

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined && (address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127."))
  );
}

function errorReply(error: AtlasError | OAuthError, headers: Record<string, string>): Reply {
  return {
    status: error.status,
    headers: { ...headers, ...error.headers },
    body: error.toBody(),
    contentType: "application/json",
  };
}

/**
 * The emulator's HTTP server. It serves the Atlas Admin API routes (v2 and legacy v1.0) behind digest or bearer
 * authentication, faults and an optional rate limit, and the OAuth routes behind client credentials. The control
 * routes under `/__emulator/` need no authentication.
 */
export class EmulatorServer {
  readonly store: Store;
  readonly faults = new FaultInjector();
  readonly requestLog = new RequestLog();
  readonly keys: KeyRing;
  readonly serviceAccounts: ServiceAccountRegistry;
  readonly tokens: AccessTokenIssuer;
  private readonly digest: DigestAuthenticator;
  private readonly apiAuth: ApiAuthenticator;
  private readonly httpServer: Server;
  private readonly httpsServer: Server | null;
  private readonly startedAt = Date.now();
  private readonly pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private rateLimit: RateLimitConfig | null;
  private bucket: TokenBucket | null;

  constructor(private readonly config: EmulatorServerConfig) {
    this.store = new Store(config.timing, config.removeServiceWithLastEndpoint);
    this.store.addProject(config.projectId);
    this.keys = new KeyRing(config.primaryKey);
    this.digest = new DigestAuthenticator((publicKey) => this.keys.find(publicKey), config.nonceLifetimeMs);
    this.serviceAccounts = new ServiceAccountRegistry(config.serviceAccounts);
    this.tokens = new AccessTokenIssuer({ ...config.tokens });
    this.apiAuth = new ApiAuthenticator(this.digest, this.tokens, this.serviceAccounts);
    this.rateLimit = config.rateLimit;
    this.bucket = config.rateLimit === null ? null : new TokenBucket(config.rateLimit);
    const listener: RequestListener = (request, response) => {
      void this.handle(request, response);
    };
    this.httpServer = createServer(listener);
    this.httpsServer =
      config.https === undefined
        ? null
        : createHttpsServer({ cert: config.https.cert, key: config.https.key }, listener);
  }

  /** Starts the plain HTTP listener on 127.0.0.1 and returns the bound port. */
  listen(port: number): Promise<number> {
    return listenOnLoopback(this.httpServer, port);
  }

  /**
   * Starts the HTTPS listener on 127.0.0.1 and returns the bound port. Throws an Error when the server was created
   * without a certificate.
   */
  listenHttps(port: number): Promise<number> {
    if (this.httpsServer === null) {
      throw new Error("The emulator has no HTTPS certificate; pass the https option to serve HTTPS.");
    }
    return listenOnLoopback(this.httpsServer, port);
  }

  /** Stops both listeners, ends pending fault delays and closes every open connection. */
  async close(): Promise<void> {
    for (const delay of this.pendingDelays) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.pendingDelays.clear();
    const servers = this.httpsServer === null ? [this.httpServer] : [this.httpServer, this.httpsServer];
    await Promise.all(servers.map((server) => closeServer(server)));
  }

  private controlContext(): ControlContext {
    return {
      store: this.store,
      faults: this.faults,
      requestLog: this.requestLog,
      keys: this.keys,
      serviceAccounts: this.serviceAccounts,
      tokens: this.tokens,
      removeServiceWithLastEndpoint: this.config.removeServiceWithLastEndpoint,
      startedAt: this.startedAt,
      getRateLimit: () => this.rateLimit,
      setRateLimit: (config) => this.setRateLimit(config),
      reset: () => this.reset(),
    };
  }

  private setRateLimit(config: RateLimitConfig | null): void {
    this.rateLimit = config;
    this.bucket = config === null ? null : new TokenBucket(config);
  }

  private reset(): { projectId: string } {
    this.store.reset(this.config.projectId, this.config.timing);
    this.faults.clear();
    this.requestLog.clear();
    this.keys.reset();
    this.digest.clear();
    this.serviceAccounts.reset();
    this.tokens.reset({ ...this.config.tokens });
    this.setRateLimit(this.config.rateLimit);
    return { projectId: this.config.projectId };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    const method = request.method ?? "GET";
    const target = request.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const query = queryStart < 0 ? "" : target.slice(queryStart + 1);
    const entry: RequestLogEntry = {
      time: new Date(arrivedAt).toISOString(),
      method,
      path,
      host: request.headers.host ?? null,
      tls: isTlsSocket(request.socket),
      serverName: serverNameOf(request.socket),
      query: redactQuery(query),
      status: 0,
      durationMs: 0,
      auth: "not-checked",
      authScheme: null,
      authFailure: null,
      errorCode: null,
      fault: null,
    };
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);

    let reply: Reply | typeof DROPPED;
    try {
      const rawBody = await readBody(request);
      this.store.advance();
      if (rawBody === undefined) {
        const tooLarge = new AtlasError(
          413,
          "REQUEST_TOO_LARGE",
          `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
        );
        reply = errorReply(tooLarge, { Connection: "close" });
      } else if (isControl) {
        reply = this.serveControl(request, method, path, rawBody);
      } else {
        reply = await this.serveAtlas(request, method, path, target, rawBody, entry);
      }
    } catch (error) {
      console.error(`emulator: unexpected error for ${method} ${path}:`, error);
      reply = errorReply(unexpectedError(), {});
    }

    if (reply === DROPPED) {
      request.socket.destroy();
    } else {
      sendReply(response, reply, new URLSearchParams(query).get("pretty") === "true");
      entry.status = reply.status;
      entry.errorCode = reply.status >= 400 ? errorCodeOf(reply.body) : null;
    }
    entry.durationMs = Date.now() - arrivedAt;
    if (!isControl) {
      this.requestLog.add(entry);
    }
    const outcome = reply === DROPPED ? "dropped" : String(entry.status);
    this.config.onRequestLogged?.(`${method} ${path} ${outcome} ${entry.durationMs}ms`);
  }

  private serveControl(request: IncomingMessage, method: string, path: string, rawBody: string): Reply {
    if (!isLoopback(request.socket.remoteAddress)) {
      return { status: 403, headers: {}, body: { error: "The control interface accepts loopback clients only." } };
    }
    const result = handleControlRequest(this.controlContext(), method, path, rawBody);
    return { status: result.status, headers: {}, body: result.body, contentType: "application/json" };
  }

  private async serveAtlas(
    request: IncomingMessage,
    method: string,
    path: string,
    target: string,
    rawBody: string,
    entry: RequestLogEntry,
  ): Promise<Reply | typeof DROPPED> {
    const headers: Record<string, string> = {};
    try {
      const early = this.faults.take(method, path, true);
      if (early !== undefined) {
        entry.fault = early.id;
        if ((await this.applyFault(early)) === DROPPED) {
          return DROPPED;
        }
      }
      if (isOAuthPath(path)) {
        return await this.serveOAuth(request, method, path, rawBody, entry);
      }
      if (!path.startsWith("/api/atlas/")) {
        entry.auth = "not-required";
        throw resourceNotFound(path);
      }

      const verdict = this.apiAuth.verify(method, target, request.headers.authorization);
      entry.authScheme = verdict.scheme;
      if (verdict.outcome !== "ok") {
        entry.auth = verdict.outcome;
        entry.authFailure = verdict.outcome === "failed" ? verdict.cause : null;
        return errorReply(unauthorized(), { "WWW-Authenticate": this.apiAuth.challenge(verdict) });
      }
      entry.auth = "ok";

      const late = this.faults.take(method, path, false);
      if (late !== undefined) {
        entry.fault = late.id;
        if (!late.afterOperation && (await this.applyFault(late)) === DROPPED) {
          return DROPPED;
        }
      }
      if (this.bucket !== null) {
        const decision = this.bucket.take();
        headers["RateLimit-Limit"] = String(decision.limit);
        headers["RateLimit-Remaining"] = String(decision.remaining);
        if (!decision.allowed) {
          throw rateLimited(decision.retryAfterSeconds);
        }
      }

      const handle = isLegacyPath(path) ? handleLegacyRequest : handleAtlasRequest;
      const result = handle({
        method,
        path,
        accept: request.headers.accept,
        rawBody,
        principal: verdict.principal,
        store: this.store,
      });
      if (late?.afterOperation && (await this.applyFault(late)) === DROPPED) {
        return DROPPED;
      }
      return { status: result.status, headers, body: result.body, contentType: result.contentType ?? ATLAS_MEDIA_TYPE };
    } catch (error) {
      if (error instanceof AtlasError || error instanceof OAuthError) {
        return errorReply(error, headers);
      }
      throw error;
    }
  }

  /**
   * Serves the OAuth routes: 405 for a method other than POST, HTTP Basic client authentication (401), faults that
   * apply after authentication, then the token or revocation request. Throws the Atlas or OAuth error to send.
   */
  private async serveOAuth(
    request: IncomingMessage,
    method: string,
    path: string,
    rawBody: string,
    entry: RequestLogEntry,
  ): Promise<Reply | typeof DROPPED> {
    requirePost(method, path);
    const header = request.headers.authorization;
    entry.authScheme = header !== undefined && /^\s*Basic\s/i.test(header) ? "basic" : null;
    const verdict = authenticateClient(header, (clientId) => this.serviceAccounts.find(clientId));
    if (verdict.outcome !== "ok") {
      entry.auth = verdict.outcome;
      entry.authFailure = verdict.outcome === "failed" ? verdict.cause : null;
      throw invalidClient();
    }
    entry.auth = "ok";

    const late = this.faults.take(method, path, false);
    if (late !== undefined) {
      entry.fault = late.id;
      if (!late.afterOperation && (await this.applyFault(late)) === DROPPED) {
        return DROPPED;
      }
    }
    const contentType = request.headers["content-type"];
    const result =
      path === TOKEN_PATH
        ? issueToken(this.tokens, verdict.account, contentType, rawBody)
        : revokeToken(this.tokens, verdict.account, contentType, rawBody);
    if (late?.afterOperation && (await this.applyFault(late)) === DROPPED) {
      return DROPPED;
    }
    return result;
  }

  /** Waits out a fault's delay, then drops, throws its Atlas error, or returns to let the request go on. */
  private async applyFault(rule: FaultRule): Promise<typeof DROPPED | undefined> {
    if (rule.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const delay = {
          timer: setTimeout(() => {
            this.pendingDelays.delete(delay);
            resolve();
          }, rule.delayMs),
          resolve,
        };
        this.pendingDelays.add(delay);
      });
    }
    if (rule.drop) {
      return DROPPED;
    }
    if (rule.status !== null) {
      throw faultError(rule);
    }
    return undefined;
  }
}

/** Listens on 127.0.0.1 and resolves with the bound port, or rejects with the listen error. */
function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, EMULATOR_HOST, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server and every connection it still has open, and resolves at once when it never listened. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function isTlsSocket(socket: IncomingMessage["socket"]): boolean {
  return (socket as Partial<TLSSocket>).encrypted === true;
}

/** Returns the SNI server name of a TLS socket, or null for a plain socket or a TLS client that sent none. */
function serverNameOf(socket: IncomingMessage["socket"]): string | null {
  if (!isTlsSocket(socket)) {
    return null;
  }
  const name = (socket as TLSSocket).servername;
  return typeof name === "string" && name !== "" ? name : null;
}

/** Returns `errorCode` of an Atlas error body or `error` of an OAuth error body; null for any other body. */
function errorCodeOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) {
    return null;
  }
  const { errorCode, error } = body as { errorCode?: unknown; error?: unknown };
  if (typeof errorCode === "string") {
    return errorCode;
  }
  return typeof error === "string" ? error : null;
}

/** Reads the request body as UTF-8; returns undefined when it exceeds {@link MAX_BODY_BYTES}. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendReply(response: ServerResponse, reply: Reply, pretty: boolean): void {
  if (response.destroyed) {
    return;
  }
  for (const [name, value] of Object.entries(reply.headers)) {
    response.setHeader(name, value);
  }
  if (reply.body === undefined) {
    response.writeHead(reply.status);
    response.end();
    return;
  }
  const text = JSON.stringify(reply.body, null, pretty ? 2 : undefined);
  response.writeHead(reply.status, {
    "Content-Type": reply.contentType ?? "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
