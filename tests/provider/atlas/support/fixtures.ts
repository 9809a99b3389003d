import { inspect } from "node:util";

/** A public key in the shape Atlas issues: 8 lower-case letters. */
export const PUBLIC_KEY = "qzxwvkjt";
/** A private key in the shape Atlas issues: a UUID. */
export const PRIVATE_KEY = "3f0c2b9e-5d41-4a7c-9e8f-6b1d2c3a4f50";

/** A project id in the Atlas shape: 24 lower-case hex characters. */
export const PROJECT_ID = "5f1a2b3c4d5e6f7a8b9c0d1e";
/** An endpoint service id in the Atlas shape: 24 lower-case hex characters. */
export const SERVICE_ID = "64f0c1d2e3a4b5c6d7e8f901";
/** An AWS interface endpoint id: `vpce-` and 17 hex characters. */
export const VPCE_ID = "vpce-0a1b2c3d4e5f67890";

/** The path prefix of every call for {@link PROJECT_ID}. */
export const GROUP_PATH = `/api/atlas/v2/groups/${PROJECT_ID}/privateEndpoint`;

/**
 * Returns every text form in which an error could reach a user or a log: message, stack, JSON, and
 * util.inspect with hidden properties and the cause chain.
 */
export function renderingsOf(err: unknown): Record<string, string> {
  const error = err as Error;
  return {
    message: String(error.message),
    stack: String(error.stack),
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 10, showHidden: true }),
  };
}

/** Awaits `promise` and returns what it rejected with; throws when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
