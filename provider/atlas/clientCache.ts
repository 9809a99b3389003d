import { createHash } from "node:crypto";

import { AtlasClient } from "./client";
import type { AtlasClientOptions } from "./client";

// Clients of this process by a SHA-256 hash of their settings, so that calls with equal settings share one digest
// session or one cached token, and the map keys hold no credential.
const sharedClients = new Map<string, AtlasClient>();

/**
 * Returns this process's AtlasClient for `options`, creating it on first use. Calls whose options are equal except
 * for `log` and `onRetry` share one client, which keeps the `log` and `onRetry` of the call that created it. Throws
 * like the AtlasClient constructor. Options with a `transport` always get a new client.
 */
export function sharedAtlasClient(options: AtlasClientOptions): AtlasClient {
  if (options.transport !== undefined) {
    return new AtlasClient(options);
  }
  const key = settingsHash(options);
  let client = sharedClients.get(key);
  if (client === undefined) {
    client = new AtlasClient(options);
    sharedClients.set(key, client);
  }
  return client;
}

/** Returns a SHA-256 hex hash of every option that changes what a client sends. */
function settingsHash(options: AtlasClientOptions): string {
  const identity = [
    options.baseUrl,
    options.accessToken ?? null,
    options.clientId ?? null,
    options.clientSecret ?? null,
    options.publicKey ?? null,
    options.privateKey ?? null,
    options.timeoutMs ?? null,
    options.userAgent ?? null,
    options.allowInsecureHttp ?? false,
    options.retry?.maxAttempts ?? null,
    options.retry?.maxElapsedMs ?? null,
    options.retry?.baseDelayMs ?? null,
    options.retry?.maxDelayMs ?? null,
  ];
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}
