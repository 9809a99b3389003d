import * as assert from "node:assert/strict";
import type { EmulatorControl } from "./emulatorControl";
import type { PulumiStack, StateResource } from "./pulumiStack";

/** Type of the resource in which Pulumi records the whole stack config, secrets encrypted. */
const CONFIG_COPY_TYPE = "pulumi:providers:pulumi-nodejs";

/**
 * The first part of every access token the emulator issues: the base64url JSON Web Token header
 * `{"alg":"HS256","typ":"JWT"}`. The audit looks for it to catch tokens whose value the test never saw.
 */
export const EMULATOR_TOKEN_PREFIX = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/** Credentials to look for; any left out are not checked. */
export interface AuditedCredentials {
  publicKey?: string;
  privateKey?: string;
  clientSecret?: string;
  accessToken?: string;
}

/** Returns where `secret` occurs in `text`, with the secret itself masked, or undefined when it does not. */
export function findSecret(text: string, secret: string): string | undefined {
  const index = text.indexOf(secret);
  if (index < 0) {
    return undefined;
  }
  const context = text.slice(Math.max(0, index - 80), index + secret.length + 80);
  return context.split(secret).join("<secret>");
}

/**
 * Fails when a credential (API key, client secret, access token) or any token the emulator issued appears in the
 * CLI output of the stack, its exported state or the emulator's request log. The decrypted state may contain them
 * only in Pulumi's own copy of the stack config, and nowhere with `keysInConfig` false (credentials from the
 * environment).
 */
export async function assertNoKeyLeaked(
  stack: PulumiStack,
  control: EmulatorControl,
  credentials: AuditedCredentials,
  options: { keysInConfig: boolean },
): Promise<void> {
  const texts: Record<string, string> = {
    "CLI output": stack.allOutput(),
    state: await stack.exportState(),
    "emulator request log": JSON.stringify(await control.requests()),
  };
  const decrypted = JSON.parse(await stack.exportState({ showSecrets: true })) as {
    deployment: { resources?: StateResource[] };
  };
  const resources = decrypted.deployment.resources ?? [];
  const audited = options.keysInConfig ? resources.filter((resource) => resource.type !== CONFIG_COPY_TYPE) : resources;
  texts["decrypted state"] = JSON.stringify(audited);

  const secrets: [string, string | undefined][] = [
    ["private key", credentials.privateKey],
    ["public key", credentials.publicKey],
    ["client secret", credentials.clientSecret],
    ["access token", credentials.accessToken],
    ["emulator access token", EMULATOR_TOKEN_PREFIX],
  ];
  for (const [name, text] of Object.entries(texts)) {
    for (const [label, secret] of secrets) {
      if (secret !== undefined && secret !== "") {
        assert.equal(findSecret(text, secret), undefined, `${label} in ${name}`);
      }
    }
  }
}
