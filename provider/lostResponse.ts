import { atlasStatusCode } from "./atlasAccess";

/**
 * Returns true when a failed create request may still have taken effect in Atlas: a 5xx response, or no usable
 * response at all (a timeout, a reset connection, a 2xx body that did not parse). The Atlas client does not retry
 * such a POST, so the caller reads the object back before deciding. Other 4xx responses return false.
 */
export function mayHaveReachedAtlas(err: unknown): boolean {
  const statusCode = atlasStatusCode(err);
  if (statusCode !== undefined) {
    return statusCode >= 500;
  }
  const name = (err as { name?: unknown } | null)?.name;
  // AtlasClient rejects with AtlasRequestError when no response arrived, and other AtlasApi implementations with a
  // plain Error. Other error types (TypeError and the like) are bugs, which reading back would not fix.
  return name === "AtlasRequestError" || name === "Error";
}
