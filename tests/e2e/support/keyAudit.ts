import * as assert from "node:assert/strict";
import type { EmulatorControl } from "./emulatorControl";
import type { PulumiStack, StateResource } from "./pulumiStack";

/** Type of the resource in which Pulumi records the whole stack config, secrets encrypted. */
const CONFIG_COPY_TYPE = "pulumi:providers:pulumi-nodejs";

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
 * Fails when a key (or the service account's client secret, when given) appears in what the CLI printed for the stack, in its exported state, in the emulator's request
 * log, or, decrypted, anywhere in the state but Pulumi's own copy of the stack config. With `keysInConfig` false (the
 * keys came from the environment), the decrypted state may not contain them anywhere.
 */
export async function assertNoKeyLeaked(
  stack: PulumiStack,
  control: EmulatorControl,
  keys: { publicKey: string; privateKey: string; clientSecret?: string },
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

  for (const [name, text] of Object.entries(texts)) {
    assert.equal(findSecret(text, keys.privateKey), undefined, `private key in ${name}`);
    assert.equal(findSecret(text, keys.publicKey), undefined, `public key in ${name}`);
    if (keys.clientSecret !== undefined) {
      assert.equal(findSecret(text, keys.clientSecret), undefined, `client secret in ${name}`);
    }
  }
}
