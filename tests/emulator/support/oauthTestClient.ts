import { ATLAS_ACCEPT, rawRequest } from "./atlasTestClient";
import type { RawResponse } from "./atlasTestClient";

/** Path of the token endpoint, written out from the Atlas reference. */
export const TOKEN_PATH = "/api/oauth/token";

/** Path of the token revocation endpoint. */
export const REVOKE_PATH = "/api/oauth/revoke";

/** Form body of a client credentials token request. */
export const CLIENT_CREDENTIALS_FORM = "grant_type=client_credentials";

/** Body of a successful token response. */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** Returns an HTTP Basic `Authorization` value for the raw client id and secret. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, "utf8").toString("base64")}`;
}

export interface TokenRequestOptions {
  method?: string;
  path?: string;
  /** Form body; the client credentials grant by default. */
  body?: string;
  /** Content-Type; the form media type by default, null to send none. */
  contentType?: string | null;
  /** Authorization header value; Basic with the given credentials by default, null to send none. */
  authorization?: string | null;
  headers?: Record<string, string>;
}

/** Sends a token request (or, with `path`, a revocation request) and returns the raw response. */
export function requestToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  options: TokenRequestOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const contentType = options.contentType === undefined ? "application/x-www-form-urlencoded" : options.contentType;
  if (contentType !== null) {
    headers["Content-Type"] = contentType;
  }
  const authorization =
    options.authorization === undefined ? basicAuthorization(clientId, clientSecret) : options.authorization;
  if (authorization !== null) {
    headers.Authorization = authorization;
  }
  return rawRequest(baseUrl, options.method ?? "POST", options.path ?? TOKEN_PATH, {
    headers,
    body: options.body ?? CLIENT_CREDENTIALS_FORM,
  });
}

/** Obtains an access token; throws with the response text when the token endpoint does not respond 200. */
export async function obtainToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await requestToken(baseUrl, clientId, clientSecret);
  if (response.status !== 200) {
    throw new Error(`token request returned ${response.status}: ${response.text}`);
  }
  return (response.json as TokenBody).access_token;
}

export interface BearerRequestOptions {
  body?: unknown;
  /** Accept header; the versioned Atlas media type by default, null to send none. */
  accept?: string | null;
  headers?: Record<string, string>;
}

/** Sends one Atlas API request with `Authorization: Bearer <token>`. */
export function bearerRequest(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  options: BearerRequestOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...options.headers };
  const accept = options.accept === undefined ? ATLAS_ACCEPT : options.accept;
  if (accept !== null) {
    headers.Accept = accept;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = accept ?? "application/json";
  }
  return rawRequest(baseUrl, method, path, { headers, body });
}

/** Decodes the payload of a JSON Web Token without checking its signature. */
export function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new Error(`Expected a JSON Web Token with three parts, got ${parts.length}`);
  }
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Paths of the legacy v1.0 PrivateLink routes for one project, written out from the legacy reference. */
export function legacyPaths(groupId: string) {
  const root = `/api/atlas/v1.0/groups/${groupId}/privateEndpoint`;
  return {
    root,
    privateLink: (privateLinkId: string) => `${root}/${privateLinkId}`,
    interfaceEndpoints: (privateLinkId: string) => `${root}/${privateLinkId}/interfaceEndpoints`,
    interfaceEndpoint: (privateLinkId: string, interfaceEndpointId: string) =>
      `${root}/${privateLinkId}/interfaceEndpoints/${interfaceEndpointId}`,
  };
}
