// Errors thrown by provider methods are plain Error objects with fields added, never instances of Error subclasses.
// Pulumi's function serializer rebuilds classes as plain functions, and an Error subclass rebuilt that way produces
// objects with an empty message that are not instances of Error.

/**
 * A create that left a resource in Atlas which did not become usable. The Pulumi dynamic provider host reports an
 * error carrying `id` as a partial failure: the engine keeps the resource in state with `properties` as its outputs,
 * so `pulumi destroy` deletes it and the next `pulumi up` can replace it.
 */
export interface ResourceInitError extends Error {
  name: "ResourceInitError";
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/** Key of the serialized provider in a dynamic resource's inputs and outputs. */
const SERIALIZED_PROVIDER_KEY = "__provider";

/**
 * Builds a {@link ResourceInitError} from the outputs so far and the create's `inputs`; `outputs` must hold only
 * JSON values (null, never undefined). The properties also get `__provider` from `inputs`, because the dynamic
 * provider host stores a partial failure's properties as they are, and the later delete or refresh loads the
 * provider from them.
 */
export function resourceInitError(id: string, outputs: object, inputs: object, message: string): ResourceInitError {
  const serializedProvider = (inputs as Record<string, unknown>)[SERIALIZED_PROVIDER_KEY];
  const properties: Record<string, unknown> = { ...outputs };
  if (serializedProvider !== undefined) {
    properties[SERIALIZED_PROVIDER_KEY] = serializedProvider;
  }
  return Object.assign(new Error(message), {
    name: "ResourceInitError" as const,
    id,
    properties,
    reasons: [message],
  });
}

/** Returns true for an error built by {@link resourceInitError}. */
export function isResourceInitError(err: unknown): err is ResourceInitError {
  return err instanceof Error && err.name === "ResourceInitError" && typeof (err as { id?: unknown }).id === "string";
}

/**
 * Returns the message of `err`. When it has none (such as an error object rebuilt by the serializer), describes it
 * from the fields Atlas client errors carry: name, method, path, statusCode, errorCode and detail.
 */
export function errorMessage(err: unknown): string {
  if (typeof err !== "object" || err === null) {
    return String(err);
  }
  const fields = err as Record<string, unknown>;
  if (typeof fields.message === "string" && fields.message !== "") {
    return fields.message;
  }
  const parts = ["name", "method", "path", "statusCode", "errorCode", "detail", "missing"]
    .filter((key) => typeof fields[key] === "string" || typeof fields[key] === "number")
    .map((key) => `${key}=${String(fields[key])}`);
  return parts.length > 0 ? parts.join(" ") : "unknown error";
}

/**
 * Builds an Error whose message is `context: <message of cause>`, followed by `advice` when given, keeping `cause`
 * and its `name`.
 */
export function withContext(context: string, cause: unknown, advice?: string): Error {
  let message = `${context}: ${errorMessage(cause)}`;
  if (advice !== undefined) {
    const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
    message = `${sentence} ${advice}`;
  }
  const error = new Error(message, { cause });
  const name = (cause as { name?: unknown } | null)?.name;
  if (typeof name === "string" && name !== "") {
    error.name = name;
  }
  return error;
}
