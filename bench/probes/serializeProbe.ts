// Measures the serialized providers of the SDK in a fresh process, run as
// `node serializeProbe.js <setup folder>` with the setup folder as the working directory. The package and
// @pulumi/pulumi are loaded from that folder, as a program there would load them. Prints one JSON object.
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as SdkModule from "../../sdk";

/** Throwaway keys that no Atlas accepts; the probe checks that no serialized text contains them. */
const THROWAWAY_KEYS = {
  publicKey: "benchpub-T4K9W2QZ",
  privateKey: "benchpriv-6f2a9c1e-8b3d-4e7f-a051-93c2d4e6f8a0",
};
const WARM_RUNS = 10;

type SerializeFunction = typeof PulumiModule.runtime.serializeFunction;

/** One call of the serializer made by the SDK, with its time in milliseconds. */
interface RecordedCall {
  func: Parameters<SerializeFunction>[0];
  ms: number;
  text: string;
}

/** Figures the probe prints for one serialized provider. */
interface SerializedProviderFigures {
  type: string;
  bytes: number;
  /** Time of the call the SDK made, the first for this provider in the process, after the serializer's set-up. */
  firstCallMs: number;
  /** Median of {@link WARM_RUNS} more calls on the same provider. */
  warmMedianMs: number;
  /** Module paths the text loads with require(). */
  requires: string[];
  /** Functions whose code the text copies, Pulumi's own `() => provider` included. */
  copiedFunctions: number;
  /** Names of the copied functions that have one, as the serializer annotates them. */
  functionNames: string[];
  containsKey: boolean;
}

function hrMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function describeText(
  text: string,
): Pick<SerializedProviderFigures, "bytes" | "requires" | "copiedFunctions" | "functionNames"> {
  return {
    bytes: Buffer.byteLength(text),
    requires: [...text.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]),
    // The serializer emits every copied function at the top level as `function __<name or f<n>>(`.
    copiedFunctions: (text.match(/^function __[\w$]+\(/gm) ?? []).length,
    functionNames: [...text.matchAll(/return (?:async )?function \/\*([\w$]+)\*\//g)].map((match) => match[1]),
  };
}

function containsKey(text: string): boolean {
  return text.includes(THROWAWAY_KEYS.publicKey) || text.includes(THROWAWAY_KEYS.privateKey);
}

async function warmMedianMs(serialize: SerializeFunction, func: RecordedCall["func"]): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < WARM_RUNS; run++) {
    const start = process.hrtime.bigint();
    await serialize(func, { allowSecrets: true });
    times.push(hrMs(start));
  }
  return median(times);
}

async function main(): Promise<void> {
  const setupDir = path.resolve(process.argv[2] ?? ".");
  const requireFromSetup = createRequire(path.join(setupDir, "index.js"));
  process.env.MONGODB_ATLAS_PUBLIC_KEY = THROWAWAY_KEYS.publicKey;
  process.env.MONGODB_ATLAS_PRIVATE_KEY = THROWAWAY_KEYS.privateKey;

  const pulumi = requireFromSetup("@pulumi/pulumi") as typeof PulumiModule;
  const closure = requireFromSetup("@pulumi/pulumi/runtime/closure/serializeClosure") as {
    serializeFunction: SerializeFunction;
  };

  // The first call in a process sets up the serializer, a cost that any program with a dynamic resource pays once.
  let start = process.hrtime.bigint();
  await closure.serializeFunction(() => 42, {});
  const serializerStartMs = hrMs(start);

  // pulumi.dynamic.Resource calls closure.serializeFunction once per provider object; the wrapper times those calls.
  const original = closure.serializeFunction;
  const calls: Promise<RecordedCall>[] = [];
  closure.serializeFunction = (func, args) => {
    const callStart = process.hrtime.bigint();
    const result = original(func, args);
    calls.push(result.then((serialized) => ({ func, ms: hrMs(callStart), text: serialized.text })));
    return result;
  };

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  pulumi.runtime.setAllConfig(
    { "mongodbatlas:publicKey": THROWAWAY_KEYS.publicKey, "mongodbatlas:privateKey": THROWAWAY_KEYS.privateKey },
    ["mongodbatlas:privateKey"],
  );
  const sdk = requireFromSetup("pulumi-atlas-privatelink") as typeof SdkModule;
  const projectId = "0123456789abcdef01234567";
  // One resource of each type, one after the other, so that the first serialization in the process runs alone.
  new sdk.PrivateEndpointInterfaceLink("link", {
    projectId,
    privateLinkId: "89abcdef0123456789abcdef",
    interfaceEndpointId: "vpce-0a1b2c3d4e5f60718",
  });
  const [linkCall] = await Promise.all(calls);
  new sdk.PrivateEndpoint("service", { projectId, region: "us-east-1" });
  const [, serviceCall] = await Promise.all(calls);
  const recorded = [
    { type: "PrivateEndpointInterfaceLink", call: linkCall },
    { type: "PrivateEndpoint", call: serviceCall },
  ];

  const providers: SerializedProviderFigures[] = [];
  for (const { type, call } of recorded) {
    providers.push({
      type,
      firstCallMs: call.ms,
      warmMedianMs: await warmMedianMs(original, call.func),
      ...describeText(call.text),
      containsKey: containsKey(call.text),
    });
  }

  // The provider class instance that the SDK serialized before it passed the lazy provider modules instead.
  const linkModule = requireFromSetup("pulumi-atlas-privatelink/dist/provider/privateEndpointInterfaceLink.js") as {
    PrivateEndpointInterfaceLinkProvider: new () => object;
  };
  const instance = new linkModule.PrivateEndpointInterfaceLinkProvider();
  const classFunc = () => instance;
  start = process.hrtime.bigint();
  const classText = (await original(classFunc, { allowSecrets: true })).text;
  const classInstance: SerializedProviderFigures = {
    type: "PrivateEndpointInterfaceLinkProvider instance, as before the lazy modules",
    firstCallMs: hrMs(start),
    warmMedianMs: await warmMedianMs(original, classFunc),
    ...describeText(classText),
    containsKey: containsKey(classText),
  };

  process.stdout.write(`${JSON.stringify({ serializerStartMs, providers, classInstance })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
