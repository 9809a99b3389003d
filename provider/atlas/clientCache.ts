import { createHash } from "node:crypto";

import { AtlasClient } from "./client";
import type { AtlasClientOptions } from "./client";

// Clients of this process by a SHA-256 hash of their settings, so that calls with equal settings share one digest
// session or one cached token, and the map keys contain no credential.
const sharedClients = new Map<string, AtlasClient>();

// Numbers for the log and onRetry functions, so that a function is part of the key by identity.
const callbackIds = new WeakMap<object, number>();
let lastCallbackId = 0;

/**
 * Returns this process's AtlasClient for `options`, creating it on first use. Calls with equal settings and the same
 * `log` and `onRetry` functions (by identity) share one client. Throws like the AtlasClient constructor. Options with
 * a `transport` always get a new client.
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
    callbackId(options.log),
    callbackId(options.onRetry),
  ];
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

function callbackId(callback: object | undefined): number | null {
  if (callback === undefined) {
    return null;
  }
  let id = callbackIds.get(callback);
  if (id === undefined) {
    lastCallbackId += 1;
    id = lastCallbackId;
    callbackIds.set(callback, id);
  }
  return id;
}
