import { randomBytes } from "node:crypto";
import { ControlError } from "./errors";
import { newObjectId } from "./store";
import type { ServiceAccount } from "./types";

/**
 * Returns a service account with random credentials in the shape Atlas uses: a client id of `mdb_sa_id_` and 24 hex
 * characters, and a client secret of `mdb_sa_sk_` and 40 hex characters.
 */
export function newServiceAccount(projectIds?: string[]): ServiceAccount {
  return {
    clientId: `mdb_sa_id_${newObjectId()}`,
    clientSecret: `mdb_sa_sk_${randomBytes(20).toString("hex")}`,
    projectIds,
  };
}

/** Checks a service account from an option or the control interface; returns an error message or undefined. */
export function validateServiceAccount(account: ServiceAccount): string | undefined {
  if (typeof account.clientId !== "string" || account.clientId === "" || account.clientId.includes(":")) {
    return "clientId must be a non-empty string without a colon, because HTTP Basic credentials split at the colon.";
  }
  if (typeof account.clientSecret !== "string" || account.clientSecret === "") {
    return "clientSecret must be a non-empty string.";
  }
  if (
    account.projectIds !== undefined &&
    !(Array.isArray(account.projectIds) && account.projectIds.every((id) => typeof id === "string"))
  ) {
    return "projectIds must be an array of project ids.";
  }
  return undefined;
}

/** The service accounts that the token endpoint accepts, by client id. The initial accounts survive a reset. */
export class ServiceAccountRegistry {
  private readonly accounts = new Map<string, ServiceAccount>();

  constructor(private readonly initial: readonly ServiceAccount[]) {
    this.reset();
  }

  find(clientId: string): ServiceAccount | undefined {
    return this.accounts.get(clientId);
  }

  /** Adds an account; throws ControlError 409 when its client id is already in use. */
  add(account: ServiceAccount): void {
    if (this.accounts.has(account.clientId)) {
      throw new ControlError(409, `A service account with client id ${account.clientId} already exists.`);
    }
    this.accounts.set(account.clientId, { ...account });
  }

  /** Lists client ids and their project restrictions; client secrets are left out. */
  list(): { clientId: string; projectIds: string[] | null }[] {
    return [...this.accounts.values()].map((account) => ({
      clientId: account.clientId,
      projectIds: account.projectIds ?? null,
    }));
  }

  /** Removes every account but the initial ones. */
  reset(): void {
    this.accounts.clear();
    for (const account of this.initial) {
      this.accounts.set(account.clientId, { ...account });
    }
  }
}
