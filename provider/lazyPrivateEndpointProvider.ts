// The dynamic provider that the SDK gives every PrivateEndpoint. The SDK passes this module's exports
// object as the provider. Pulumi serializes an object that is a module's exports as a require() of that module when
// the module is under node_modules, so the state of an installed package stores one line instead of the provider code.
// In a source checkout the serializer copies these small functions instead, with the absolute path below.
import { lazyProvider } from "./lazyProvider";
import type * as EndpointProviderModule from "./privateEndpoint";
import type { PrivateEndpointInputs, PrivateEndpointOutputs } from "./privateEndpoint";

const PROVIDER_MODULE_PATH: string = require.resolve("./privateEndpoint");

const methods = lazyProvider<PrivateEndpointInputs, PrivateEndpointOutputs>(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at the first call, see the file comment
  const loaded = require(PROVIDER_MODULE_PATH) as typeof EndpointProviderModule;
  return new loaded.PrivateEndpointProvider();
});

/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.configure}. */
export const configure = methods.configure;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.check}. */
export const check = methods.check;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.diff}. */
export const diff = methods.diff;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.create}. */
export const create = methods.create;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.read}. */
export const read = methods.read;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.update}. */
export const update = methods.update;
const deleteEndpointService = methods.delete;
/** Forwards to {@link EndpointProviderModule.PrivateEndpointProvider.delete}. */
export { deleteEndpointService as delete };
