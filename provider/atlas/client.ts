import { checkBaseUrlTransport, MissingCredentialsError, normalizeBaseUrl } from "./credentials";
import type { CredentialName } from "./credentials";
import { DigestSession, digestChallengeOf } from "./digest";
import type { DigestChallenge, DigestCredentials } from "./digest";
import { AtlasApiError, AtlasRequestError, excerptBody } from "./errors";
import { privateEndpointRoutes } from "./privateEndpointApi";
import type { PrivateEndpointApi, PrivateEndpointRoutes, RouteCall } from "./privateEndpointApi";
import type { AuthMethod } from "./errors";
import {
  classifyNetworkError,
  completeRetryRuntime,
  formatSeconds,
  isIdempotent,
  isRetryableStatus,
  nextRetryStep,
  parseRetryAfter,
  resolveRetrySettings,
} from "./retry";
import type { RetryOptions, RetryRuntime, RetrySettings } from "./retry";
import { sharedTokenSource } from "./serviceAccountToken";
import type { ServiceAccountTokenSource, TokenRequestContext } from "./serviceAccountToken";
import { defaultUserAgent, sanitizeError, sendAtlasRequest } from "./transport";
import type { AtlasHttpRequest, AtlasResponse, HttpMethod } from "./transport";
import type { AtlasApi, EndpointService, InterfaceEndpoint } from "./types";

/** Time limit in milliseconds for one attempt of an API call when {@link AtlasClientOptions.timeoutMs} is not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A retry the client is about to make, as passed to {@link AtlasClientOptions.onRetry}. */
export interface AtlasRetryEvent {
  method: string;
  /** Request path without scheme, host or query. */
  path: string;
  /** HTTP status of the failed attempt, or undefined when no response arrived. */
  statusCode?: number;
  /** Description of the failure as in the log line: `returned 429 RATE_LIMITED_TOKEN_BUCKET`, `failed with ECONNRESET`. */
  failure: string;
  /** Number of this retry, counting from 1; the attempt that follows is number `retry + 1`. */
  retry: number;
  /** Retries allowed per call: `maxAttempts - 1`. */
  maxRetries: number;
  /** Wait before the retry, in milliseconds. */
  delayMs: number;
}

/** Settings for an {@link AtlasClient}. */
export interface AtlasClientOptions {
  /** http or https URL of Atlas, such as `https://cloud.mongodb.com`; trailing slashes are ignored. */
  baseUrl: string;
  /** Public key of the programmatic API key, sent as the digest user name. */
  publicKey?: string;
  /** Private key of the programmatic API key, used as the digest password and never sent. */
  privateKey?: string;
  /** Client id of an Atlas service account, whose tokens are fetched from `{baseUrl}/api/oauth/token`. */
  clientId?: string;
  /** Client secret of the service account, sent to the token endpoint only. */
  clientSecret?: string;
  /** Access token sent as the bearer token as given, and never renewed. */
  accessToken?: string;
  /** Time limit in milliseconds for one attempt of an API call, its digest round trips included. Defaults to 30000. */
  timeoutMs?: number;
  /** User-Agent header value. Defaults to `pulumi-atlas-privatelink/<package version>`. */
  userAgent?: string;
  /** Limits of the retries of failed calls; see {@link RetryOptions} for the defaults. */
  retry?: RetryOptions;
  /** Allows a plain http base URL whose host is not loopback. Defaults to false. */
  allowInsecureHttp?: boolean;
  /** Atlas API of the private endpoint calls: "v2" (the default) or the deprecated v1.0 API with "legacy". */
  privateEndpointApi?: PrivateEndpointApi;
  /** Receives one line per retry with the method, path, failure, retry number and wait; no line contains a key. */
  log?: (line: string) => void;
  /** Called before the wait of each retry. */
  onRetry?: (event: AtlasRetryEvent) => void;
  /** Sends one HTTP request. Defaults to urllib; tests pass a stub to check requests without a network. */
  transport?: (request: AtlasHttpRequest) => Promise<AtlasResponse>;
}

/** Authentication state of a client: its method, the session or token it uses, and the secrets to redact. */
type ClientAuth =
  | { method: "apiKey"; digest: DigestSession; secrets: string[] }
  | { method: "serviceAccount"; tokens: ServiceAccountTokenSource; secrets: string[] }
  | { method: "accessToken"; token: string; secrets: string[] };

/** The result of one attempt: the final response of its digest exchange, or the error that ended it. */
type AttemptOutcome =
  { kind: "response"; response: AtlasResponse } | { kind: "error"; error: unknown; timedOut: boolean };

/** A failed attempt, and what the retry policy needs to know about it. */
interface FailedAttempt {
  /** Builds the error the call rejects with. */
  toError(attempts: number, retryNote: string | undefined): AtlasApiError | AtlasRequestError;
  /** Text for the log line, such as `returned 503 SERVICE_UNAVAILABLE`. */
  failure: string;
  statusCode?: number;
  /** True when the policy allows another attempt of this method after this failure. */
  retryable: boolean;
  /** Reason, for the error message, that a failure retried for other methods is not retried for this one. */
  notRetriedReason?: string;
  /** The wait that Atlas asked for with Retry-After or in the detail text, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * Atlas Admin API v2 client for AWS private endpoint services and interface endpoints. It authenticates with the
 * first complete method of its options: an access token as a bearer token, a service account through OAuth 2.0
 * bearer tokens that it fetches and renews, or an API key pair with HTTP Digest. Failed calls are retried as
 * {@link AtlasClientOptions.retry} allows: 429 and 503 after their Retry-After, and 408, other 5xx, resets and time
 * limits with backoff, except for a POST that Atlas may have processed. Methods reject with {@link AtlasApiError}
 * for a non-2xx response, with {@link AtlasRequestError} when no usable response arrives (connection failure, time
 * limit, or a 2xx body that is not the expected JSON), and with an Error before sending when an id is empty, "." or
 * "..". With {@link AtlasClientOptions.privateEndpointApi} "legacy", it calls the v1.0 routes instead and returns
 * their objects in the v2 shapes.
 */ export class AtlasClient implements AtlasApi {
  readonly #baseUrl: string;
  readonly #auth: ClientAuth;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #retry: RetrySettings;
  readonly #runtime: RetryRuntime;
  readonly #log: ((line: string) => void) | undefined;
  readonly #onRetry: ((event: AtlasRetryEvent) => void) | undefined;
  readonly #send: (request: AtlasHttpRequest) => Promise<AtlasResponse>;
  readonly #routes: PrivateEndpointRoutes;
  /** Bearer tokens this client has sent, redacted from errors; at most the last few. */
  readonly #sentTokens: string[] = [];
  #retryCount = 0;

  /**
   * Creates a client without sending anything. Throws {@link MissingCredentialsError} when no method is complete
   * (naming the API key halves unless a service account setting is given), and an Error when `baseUrl` is not an
   * http or https URL, uses plain http to a host that is not loopback without `allowInsecureHttp`, or when
   * `timeoutMs` or a retry option is out of range. `runtime` replaces the clock, sleep and random source of the retry
   * loop, for tests. Also throws an Error for a `privateEndpointApi` other than "v2" or "legacy".
   */
  constructor(options: AtlasClientOptions, runtime: Partial<RetryRuntime> = {}) {
    this.#baseUrl = normalizeBaseUrl(options.baseUrl);
    checkBaseUrlTransport(this.#baseUrl, options.allowInsecureHttp ?? false);
    this.#auth = chooseAuth(options, this.#baseUrl);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new Error(`Invalid Atlas request timeout ${timeoutMs} ms: it must be a positive number of milliseconds.`);
    }
    this.#timeoutMs = timeoutMs;
    this.#userAgent = options.userAgent ?? defaultUserAgent();
    this.#retry = resolveRetrySettings(options.retry);
    this.#runtime = completeRetryRuntime(runtime);
    this.#log = options.log;
    this.#onRetry = options.onRetry;
    this.#send = options.transport ?? sendAtlasRequest;
    this.#routes = privateEndpointRoutes(options.privateEndpointApi ?? "v2");
  }

  /** The authentication method in use: `apiKey`, `serviceAccount` or `accessToken`. */
  get authMethod(): AuthMethod {
    return this.#auth.method;
  }

  /** Number of retries this client has made over all its calls so far. */
  get retryCount(): number {
    return this.#retryCount;
  }

  /** Attaches the AWS interface endpoint `interfaceEndpointId` (a vpce id) to the endpoint service. */
  async createInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint> {
    const route = this.#routes.createInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
    return this.#routes.toInterfaceEndpoint(await this.#requestObject(route));
  }

  /** Reads one interface endpoint of the endpoint service. */
  async getInterfaceEndpoint(
    projectId: string,
    privateLinkId: string,
    interfaceEndpointId: string,
  ): Promise<InterfaceEndpoint> {
    const route = this.#routes.getInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId);
    return this.#routes.toInterfaceEndpoint(await this.#requestObject(route));
  }

  /** Requests removal of the interface endpoint; resolves on any 2xx response. */
  async deleteInterfaceEndpoint(projectId: string, privateLinkId: string, interfaceEndpointId: string): Promise<void> {
    await this.#call(this.#routes.deleteInterfaceEndpoint(projectId, privateLinkId, interfaceEndpointId));
  }

  /** Creates an AWS endpoint service in `region`, an AWS region name such as `us-east-1`. */
  async createEndpointService(projectId: string, region: string): Promise<EndpointService> {
    const route = this.#routes.createEndpointService(projectId, region);
    return this.#routes.toEndpointService(await this.#requestObject(route), region);
  }

  /** Reads one AWS endpoint service. */
  async getEndpointService(projectId: string, privateLinkId: string): Promise<EndpointService> {
    const route = this.#routes.getEndpointService(projectId, privateLinkId);
    return this.#routes.toEndpointService(await this.#requestObject(route));
  }

  /**
   * Lists the project's AWS endpoint services. Accepts the bare JSON array Atlas returns, and also a
   * `{"results": [...]}` page in case a later API version wraps the list.
   */
  async listEndpointServices(projectId: string): Promise<EndpointService[]> {
    const response = await this.#call(this.#routes.listEndpointServices(projectId));
    const body = parseJsonBody(response);
    const items: unknown = isJsonObject(body) ? body.results : body;
    if (Array.isArray(items)) {
      return items.map((item: unknown) =>
        isJsonObject(item) ? this.#routes.toEndpointService(item) : (item as EndpointService),
      );
    }
    throw new AtlasRequestError({
      method: response.method,
      path: response.path,
      failure: `Atlas returned ${response.status} with a JSON body that is not a list of endpoint services`,
    });
  }

  /** Requests removal of the endpoint service; resolves on any 2xx response. */
  async deleteEndpointService(projectId: string, privateLinkId: string): Promise<void> {
    await this.#call(this.#routes.deleteEndpointService(projectId, privateLinkId));
  }

  #call(route: RouteCall): Promise<AtlasResponse> {
    return this.request(route.method, route.path, route.body);
  }

  /**
   * Sends one API call and returns its 2xx response, or throws {@link AtlasApiError} or {@link AtlasRequestError}.
   * Every method goes through here, so this is where failed attempts are retried. `path` starts with `/api/` and has
   * its parameters percent-encoded already; `body` is sent as JSON.
   */
  private async request(method: HttpMethod, path: string, body?: unknown): Promise<AtlasResponse> {
    const url = new URL(`${this.#baseUrl}${path}`);
    const content = body === undefined ? undefined : JSON.stringify(body);
    const startMs = this.#runtime.now();

    let tokenRenewed = false;
    for (let attempt = 1; ; attempt++) {
      const bearer = await this.#bearerToken();
      const outcome = await this.#attempt(method, url, content, bearer);
      if (outcome.kind === "response" && outcome.response.status >= 200 && outcome.response.status <= 299) {
        return outcome.response;
      }
      // A cached token that Atlas rejects expired or was revoked early: fetch a new one and repeat the attempt once.
      // Atlas did not process a request it rejected with 401, so this is safe for a POST too.
      if (
        this.#auth.method === "serviceAccount" &&
        bearer !== undefined &&
        outcome.kind === "response" &&
        outcome.response.status === 401 &&
        !tokenRenewed
      ) {
        tokenRenewed = true;
        this.#auth.tokens.invalidate(bearer);
        attempt -= 1;
        continue;
      }
      const failed = this.#failedAttempt(method, url.pathname, outcome);
      const elapsedMs = this.#runtime.now() - startMs;
      const step = nextRetryStep(failed, attempt, elapsedMs, this.#retry, () => this.#runtime.random());
      if (step.stop) {
        throw failed.toError(attempt, step.note);
      }
      this.#reportRetry({
        method,
        path: url.pathname,
        statusCode: failed.statusCode,
        failure: failed.failure,
        retry: attempt,
        maxRetries: this.#retry.maxAttempts - 1,
        delayMs: step.delayMs,
      });
      await this.#runtime.sleep(step.delayMs);
    }
  }

  /** Returns the bearer token for the next attempt, fetching one for a service account; undefined for digest. */
  async #bearerToken(): Promise<string | undefined> {
    let token: string;
    switch (this.#auth.method) {
      case "apiKey":
        return undefined;
      case "accessToken":
        return this.#auth.token;
      case "serviceAccount":
        token = await this.#auth.tokens.token(this.#tokenContext());
        break;
    }
    if (!this.#sentTokens.includes(token)) {
      this.#sentTokens.push(token);
      this.#sentTokens.splice(0, this.#sentTokens.length - 4);
    }
    return token;
  }

  #tokenContext(): TokenRequestContext {
    return {
      send: this.#send,
      retry: this.#retry,
      runtime: this.#runtime,
      timeoutMs: this.#timeoutMs,
      userAgent: this.#userAgent,
      onRetry: (event) => this.#reportRetry(event),
    };
  }

  async #requestObject(route: RouteCall): Promise<Record<string, unknown>> {
    const response = await this.#call(route);
    const parsed = parseJsonBody(response);
    if (!isJsonObject(parsed)) {
      throw new AtlasRequestError({
        method: route.method,
        path: response.path,
        failure: `Atlas returned ${response.status} with a JSON body that is not an object`,
      });
    }
    return parsed;
  }

  /**
   * Makes one attempt within `timeoutMs`. With a `bearer` token that is one request. With an API key it is the
   * request with the shared digest nonce when there is one, else without Authorization, and the responses to digest
   * challenges that {@link shouldRespond} allows.
   */
  async #attempt(
    method: HttpMethod,
    url: URL,
    content: string | undefined,
    bearer: string | undefined,
  ): Promise<AttemptOutcome> {
    const target = `${url.pathname}${url.search}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);

    try {
      const send = (authorization: string | undefined) =>
        this.#send({
          method,
          url,
          content,
          authorization,
          userAgent: this.#userAgent,
          accept: this.#routes.mediaType,
          contentType: this.#routes.mediaType,
          timeoutMs: this.#timeoutMs,
          signal: controller.signal,
        });
      if (this.#auth.method !== "apiKey") {
        return { kind: "response", response: await send(`Bearer ${bearer}`) };
      }

      const digest = this.#auth.digest;
      let credentials = digest.reuse(method, target);
      let response = await send(credentials?.header);
      let staleRetried = false;
      for (;;) {
        const challenge = digestChallengeOf(response.status, response.headers);
        if (challenge === undefined || !shouldRespond(credentials, challenge, staleRetried)) {
          break;
        }
        if (credentials !== undefined && !credentials.reused) {
          staleRetried = true;
        }
        credentials = digest.respond(challenge, method, target);
        response = await send(credentials.header);
      }
      if (credentials !== undefined && response.status !== 401) {
        digest.confirm(credentials);
      }
      return { kind: "response", response };
    } catch (error) {
      return { kind: "error", error, timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Describes a failed attempt for the retry policy: whether it is retried, after what wait, and its final error. */
  #failedAttempt(method: HttpMethod, path: string, outcome: AttemptOutcome): FailedAttempt {
    if (outcome.kind === "response") {
      const { response } = outcome;
      const retryAfterSeconds = parseRetryAfter(response.headers["retry-after"], this.#runtime.now());
      const build = (attempts: number, retryNote: string | undefined) =>
        new AtlasApiError({
          method,
          path,
          statusCode: response.status,
          body: this.#redact(response.text),
          retryAfterSeconds,
          attempts,
          retryNote,
          authMethod: this.#auth.method,
        });
      const probe = build(1, undefined);
      const retryable = isRetryableStatus(method, response.status);
      const transientForOthers = !retryable && isRetryableStatus("GET", response.status);
      const honoursRetryAfter = response.status === 429 || response.status === 503;
      return {
        toError: build,
        failure: `returned ${response.status}${probe.errorCode ? ` ${probe.errorCode}` : ""}`,
        statusCode: response.status,
        retryable,
        notRetriedReason: transientForOthers ? notRetriedReason(method) : undefined,
        retryAfterMs:
          honoursRetryAfter && probe.retryAfterSeconds !== undefined ? probe.retryAfterSeconds * 1000 : undefined,
      };
    }

    const reach = classifyNetworkError(outcome.error, outcome.timedOut);
    const requestError = this.#requestError(method, path, outcome.error, outcome.timedOut);
    const build = (attempts: number, retryNote: string | undefined) =>
      this.#requestError(method, path, outcome.error, outcome.timedOut, attempts, retryNote);
    const retryable = reach === "not-sent" || (reach === "maybe-sent" && isIdempotent(method));
    return {
      toError: build,
      failure: this.#networkFailureText(outcome.error, requestError),
      retryable,
      notRetriedReason: reach === "maybe-sent" && !retryable ? notRetriedReason(method) : undefined,
    };
  }

  /** Returns the failure text of the log line: the time limit, else `failed with <code>`, else the cause's message. */
  #networkFailureText(error: unknown, requestError: AtlasRequestError): string {
    if (requestError.timedOut) {
      return `timed out after ${this.#timeoutMs} ms`;
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code !== "") {
      return `failed with ${this.#redact(code)}`;
    }
    const cause = requestError.cause;
    return `failed: ${cause instanceof Error ? cause.message : requestError.message}`;
  }

  #reportRetry(event: AtlasRetryEvent): void {
    this.#retryCount += 1;
    this.#log?.(
      `Atlas ${event.method} ${event.path} ${event.failure}; ` +
        `retry ${event.retry} of ${event.maxRetries} in ${formatSeconds(event.delayMs)}`,
    );
    this.#onRetry?.(event);
  }

  #requestError(
    method: HttpMethod,
    path: string,
    err: unknown,
    timedOut: boolean,
    attempts = 1,
    retryNote?: string,
  ): AtlasRequestError {
    const cause = sanitizeError(err, (text) => this.#redact(text));
    const name = err instanceof Error ? err.name : "";
    if (timedOut || name === "HttpClientRequestTimeoutError" || name === "HttpClientConnectTimeoutError") {
      return new AtlasRequestError({
        method,
        path,
        failure: `timed out after ${this.#timeoutMs} ms`,
        timedOut: true,
        cause,
        attempts,
        retryNote,
      });
    }
    return new AtlasRequestError({ method, path, failure: cause.message, cause, attempts, retryNote });
  }

  /**
   * Replaces the credentials and the bearer tokens sent wherever they occur in `text`, such as an Atlas error detail
   * that quotes the public key.
   */
  #redact(text: string): string {
    let redacted = text;
    for (const secret of [...this.#auth.secrets, ...this.#sentTokens]) {
      if (secret !== "") {
        redacted = redacted.split(secret).join("[redacted]");
      }
    }
    return redacted;
  }
}

/**
 * Decides whether a 401 with a digest challenge gets one more request. The first challenge of a request sent without
 * Authorization is the normal handshake. A reused nonce may have expired, or a parallel request with a higher nonce
 * count may have reached the server first, so the client responds once to its 401 with the new challenge. A 401 to a
 * request that responded to a challenge of this attempt is final unless it is stale=true, which gets one response.
 */
function shouldRespond(
  credentials: DigestCredentials | undefined,
  challenge: DigestChallenge,
  staleRetried: boolean,
): boolean {
  if (credentials === undefined || credentials.reused) {
    return true;
  }
  return challenge.stale && !staleRetried;
}

function notRetriedReason(method: string): string {
  return `Not retried, because Atlas may have processed the ${method} request.`;
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

/**
 * Picks the first complete method of `options` in the order access token, service account, API key pair. Throws
 * {@link MissingCredentialsError} naming the unset half of a service account when a client id or secret is given,
 * else the unset halves of the API key pair.
 */
function chooseAuth(options: AtlasClientOptions, baseUrl: string): ClientAuth {
  const { accessToken, clientId, clientSecret, publicKey, privateKey } = options;
  if (accessToken) {
    return { method: "accessToken", token: accessToken, secrets: [accessToken] };
  }
  if (clientId && clientSecret) {
    return {
      method: "serviceAccount",
      tokens: sharedTokenSource(baseUrl, clientId, clientSecret),
      secrets: [clientSecret],
    };
  }
  if (publicKey && privateKey) {
    return { method: "apiKey", digest: new DigestSession(publicKey, privateKey), secrets: [privateKey, publicKey] };
  }
  const missing: CredentialName[] = [];
  if (clientId || clientSecret) {
    missing.push(clientId ? "clientSecret" : "clientId");
  } else {
    if (!publicKey) {
      missing.push("publicKey");
    }
    if (!privateKey) {
      missing.push("privateKey");
    }
  }
  throw new MissingCredentialsError(missing);
}
