/**
 * The placeholder the Pulumi engine sends to a dynamic provider's `check` and `diff` in place of an input that is
 * not known yet during preview, whatever the input's type. Equal to `pulumi.runtime.unknownValue`; kept as a literal
 * so that the serialized provider does not load the Pulumi SDK to compare against it.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Returns true when `value` is the engine's placeholder for an input not known during preview. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}
