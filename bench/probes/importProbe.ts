// Times require() calls in a fresh process, run as `node importProbe.js <setup folder> <variant>`. Modules resolve
// from the setup folder as a program there would resolve them. Prints one JSON object.
import { createRequire } from "node:module";
import * as path from "node:path";

/** The modules each variant loads before the timed require() calls, and those it times. */
const VARIANTS: Record<string, { before: string[]; timed: string[] }> = {
  // The package entry point, as a program loads it.
  sdk: { before: [], timed: ["pulumi-atlas-privatelink"] },
  // @pulumi/pulumi alone, which the entry point loads first.
  pulumi: { before: [], timed: ["@pulumi/pulumi"] },
  // The package entry point in a program that loaded @pulumi/aws first.
  "aws-then-sdk": { before: ["@pulumi/aws"], timed: ["pulumi-atlas-privatelink"] },
  // What the provider process loads at the first call of a link method: the provider and the Atlas client.
  provider: {
    before: ["@pulumi/pulumi"],
    timed: [
      "pulumi-atlas-privatelink/dist/provider/privateEndpointInterfaceLink.js",
      "pulumi-atlas-privatelink/dist/provider/atlas/index.js",
    ],
  },
};

function main(): void {
  const setupDir = path.resolve(process.argv[2] ?? ".");
  const variantName = process.argv[3] ?? "sdk";
  const variant = VARIANTS[variantName];
  if (variant === undefined) {
    throw new Error(`Unknown variant ${variantName}; expected one of ${Object.keys(VARIANTS).join(", ")}`);
  }
  const requireFromSetup = createRequire(path.join(setupDir, "index.js"));
  for (const name of variant.before) {
    requireFromSetup(name);
  }
  const cachedBefore = new Set(Object.keys(require.cache));

  const start = process.hrtime.bigint();
  for (const name of variant.timed) {
    requireFromSetup(name);
  }
  const requireMs = Number(process.hrtime.bigint() - start) / 1e6;

  const loaded = Object.keys(require.cache).filter((file) => !cachedBefore.has(file));
  const packageDist = path.resolve(requireFromSetup.resolve("pulumi-atlas-privatelink"), "..", "..");
  const fromPackage = loaded.filter((file) =>
    [path.join(packageDist, "sdk"), path.join(packageDist, "provider")].some((folder) => file.startsWith(folder)),
  );
  const fromPulumiAws = loaded.filter((file) => file.includes(`${path.sep}@pulumi${path.sep}aws${path.sep}`));
  const fromUrllib = loaded.filter((file) => file.includes(`${path.sep}urllib${path.sep}`));
  process.stdout.write(
    `${JSON.stringify({
      variant: variantName,
      requireMs,
      modulesLoaded: loaded.length,
      packageModulesLoaded: fromPackage.length,
      pulumiAwsModulesLoaded: fromPulumiAws.length,
      urllibModulesLoaded: fromUrllib.length,
    })}\n`,
  );
}

main();
