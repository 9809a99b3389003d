// The dynamic provider that the SDK gives every PrivateEndpointInterfaceLink. The SDK passes this module's exports
// object as the provider. Pulumi serializes an object that is a module's exports as a require() of that module when
// the module is under node_modules, so the state of an installed package stores one line instead of the provider code.
// In a source checkout the serializer copies these small functions instead, with the absolute path below.
import { lazyProvider } from "./lazyProvider";
import type * as LinkProviderModule from "./privateEndpointInterfaceLink";
import type { InterfaceLinkInputs, InterfaceLinkOutputs } from "./privateEndpointInterfaceLink";

const PROVIDER_MODULE_PATH: string = require.resolve("./privateEndpointInterfaceLink");

const methods = lazyProvider<InterfaceLinkInputs, InterfaceLinkOutputs>(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at the first call, see the file comment
  const loaded = require(PROVIDER_MODULE_PATH) as typeof LinkProviderModule;
  return new loaded.PrivateEndpointInterfaceLinkProvider();
});

/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.configure}. */
export const configure = methods.configure;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.check}. */
export const check = methods.check;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.diff}. */
export const diff = methods.diff;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.create}. */
export const create = methods.create;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.read}. */
export const read = methods.read;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.update}. */
export const update = methods.update;
const deleteLink = methods.delete;
/** Forwards to {@link LinkProviderModule.PrivateEndpointInterfaceLinkProvider.delete}. */
export { deleteLink as delete };
