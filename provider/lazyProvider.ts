import type { dynamic } from "@pulumi/pulumi";

/** The dynamic provider methods that {@link lazyProvider} forwards, all of them required. */
export type ForwardedProvider<TInputs, TOutputs> = Required<
  Pick<
    dynamic.ResourceProvider<TInputs, TOutputs>,
    "configure" | "check" | "diff" | "create" | "read" | "update" | "delete"
  >
>;

/**
 * Returns provider methods that call `load()` once, on the first call of any of them, and forward every call to the
 * provider it returns. An error thrown by `load` reaches the caller of that method, and the next call loads again.
 */
export function lazyProvider<TInputs, TOutputs>(
  load: () => ForwardedProvider<TInputs, TOutputs>,
): ForwardedProvider<TInputs, TOutputs> {
  // A holder object rather than a variable: Pulumi's serializer copies a captured variable into every call, but
  // shares a captured object, so the provider stays loaded when these methods run from a serialized copy.
  const loaded: { provider?: ForwardedProvider<TInputs, TOutputs> } = {};
  const target = (): ForwardedProvider<TInputs, TOutputs> => {
    loaded.provider ??= load();
    return loaded.provider;
  };
  return {
    configure: (req) => target().configure(req),
    check: (olds, news) => target().check(olds, news),
    diff: (id, olds, news) => target().diff(id, olds, news),
    create: (inputs) => target().create(inputs),
    read: (id, props) => target().read(id, props),
    update: (id, olds, news) => target().update(id, olds, news),
    delete: (id, props) => target().delete(id, props),
  };
}
