import { ControlError } from "./errors";
import type { ApiKey } from "./types";

/** The API keys that the emulator accepts, by public key. The primary key survives a reset. */
export class KeyRing {
  private readonly keys = new Map<string, ApiKey>();

  constructor(private readonly primary: ApiKey) {
    this.keys.set(primary.publicKey, primary);
  }

  find(publicKey: string): ApiKey | undefined {
    return this.keys.get(publicKey);
  }

  /** Adds a key; throws ControlError 409 when its public key is already in use. */
  add(key: ApiKey): void {
    if (this.keys.has(key.publicKey)) {
      throw new ControlError(409, `An API key with public key ${key.publicKey} already exists.`);
    }
    this.keys.set(key.publicKey, { ...key });
  }

  /** Lists public keys and their project restrictions; private keys are left out. */
  list(): { publicKey: string; projectIds: string[] | null }[] {
    return [...this.keys.values()].map((key) => ({ publicKey: key.publicKey, projectIds: key.projectIds ?? null }));
  }

  /** Removes every key but the primary one. */
  reset(): void {
    this.keys.clear();
    this.keys.set(this.primary.publicKey, this.primary);
  }
}
