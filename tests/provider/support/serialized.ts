import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";

// The provider process loads the serialized provider with require-from-string, a dependency of @pulumi/pulumi.
const requireFromString = createRequire(require.resolve("@pulumi/pulumi"))("require-from-string") as (code: string) => {
  handler: () => pulumi.dynamic.ResourceProvider;
};

/** Loads a serialized provider (the `__provider` text) the way the Pulumi dynamic provider process does. */
export function loadSerializedProvider(text: string): pulumi.dynamic.ResourceProvider {
  return requireFromString(text).handler();
}
