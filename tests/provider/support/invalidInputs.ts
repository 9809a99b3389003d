/** An invalid id input and the explanation its failure reason must contain. */
export interface InvalidIdCase {
  property: "projectId" | "privateLinkId" | "interfaceEndpointId";
  /** The value passed; undefined leaves the property out. */
  value: unknown;
  /** The text of the reason that names the value, such as `projectId "abc"`. */
  subject: string;
  /** The explanation of what is wrong, such as `it has 3 characters instead of 24`. */
  problem: string;
}

/** The end of every reason for projectId and privateLinkId: the expected form with an example. */
export const HEX_ID_EXPECTATION = /: expected 24 lowercase hex characters, e\.g\. [0-9a-f]{24}$/;

/** The end of every reason for interfaceEndpointId: the expected form with an example. */
export const VPCE_ID_EXPECTATION =
  /: expected "vpce-" followed by 17 lowercase hex characters \(or 8 for older endpoints\), e\.g\. vpce-[0-9a-f]{17}$/;

const ONLY_AWS = "this package supports only AWS interface VPC endpoints";
const AZURE_ID =
  "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/atlas/providers/Microsoft.Network/" +
  "privateEndpoints/atlas-pe";

function hexCase(property: "projectId" | "privateLinkId", value: unknown, problem: string): InvalidIdCase {
  return { property, value, subject: `${property} ${JSON.stringify(value)} is invalid`, problem };
}

function vpceCase(value: unknown, problem: string, subject?: string): InvalidIdCase {
  const shown = subject ?? `interfaceEndpointId ${JSON.stringify(value)} is invalid`;
  return { property: "interfaceEndpointId", value, subject: shown, problem };
}

/** Invalid ids for `check` and the lookup, each with the explanation the reason must give. */
export const INVALID_ID_CASES: readonly InvalidIdCase[] = [
  { property: "projectId", value: undefined, subject: "projectId is missing", problem: "" },
  { property: "projectId", value: "", subject: 'projectId "" is empty', problem: "" },
  hexCase("projectId", "5f0a1b2c3d4e5f6a7b8c9d0", "it has 23 characters instead of 24"),
  hexCase("projectId", "5f0a1b2c3d4e5f6a7b8c9d0e1", "it has 25 characters instead of 24"),
  hexCase("projectId", "5F0A1B2C3D4E5F6A7B8C9D0E", "it contains upper-case letters"),
  hexCase("projectId", "5f0a1b2c3d4e5f6a7b8c9d0g", "it contains characters other than hex digits"),
  hexCase("projectId", "5f0a1b2c3d4e5f6a7b8c9d0 ", "it contains whitespace"),
  hexCase("projectId", 12, "it is not a string"),
  { property: "privateLinkId", value: "", subject: 'privateLinkId "" is empty', problem: "" },
  hexCase("privateLinkId", "6a0b1c2d3e4f5a6b7c8d9e", "it has 22 characters instead of 24"),
  hexCase("privateLinkId", "6A0B1C2D3E4F5A6B7C8D9E0F", "it contains upper-case letters"),
  hexCase("privateLinkId", "not-hex-not-hex-not-hex!", "it contains characters other than hex digits"),
  hexCase(
    "privateLinkId",
    "vpce-0a1b2c3d4e5f60718",
    "it contains characters other than hex digits and has 22 characters instead of 24",
  ),
  { property: "interfaceEndpointId", value: "", subject: 'interfaceEndpointId "" is empty', problem: "" },
  vpceCase("VPCE-0A1B2C3D4E5F60718", "it contains upper-case letters"),
  vpceCase("vpce-0A1B2C3D4E5F60718", "it contains upper-case letters"),
  vpceCase("vpce-0a1b2c3d4e5f6071", 'it has 16 characters after "vpce-" instead of 17 or 8'),
  vpceCase("vpce-0a1b2c3d4e5f607189", 'it has 18 characters after "vpce-" instead of 17 or 8'),
  vpceCase("vpce-0a1b2c3", 'it has 7 characters after "vpce-" instead of 17 or 8'),
  vpceCase("vpce-0a1b2c3d4e5f6071z", 'it has characters other than hex digits after "vpce-"'),
  vpceCase("0a1b2c3d4e5f60718", 'it lacks the "vpce-" prefix'),
  vpceCase("0A1B2C3D", 'it lacks the "vpce-" prefix and contains upper-case letters'),
  vpceCase(" vpce-0a1b2c3d4e5f60718", "it contains whitespace"),
  vpceCase("vpce-0a1b2c3d 4e5f60718", "it contains whitespace"),
  vpceCase(
    AZURE_ID,
    `it looks like an Azure private endpoint resource id, but ${ONLY_AWS}`,
    `interfaceEndpointId ${JSON.stringify(AZURE_ID).slice(0, 80)}… is invalid`,
  ),
  vpceCase("atlas-psc-endpoint-0", `it looks like a GCP forwarding rule name, but ${ONLY_AWS}`),
  vpceCase(
    "projects/my-project/regions/us-central1/forwardingRules/atlas-endpoint-0",
    `it looks like a GCP resource path, but ${ONLY_AWS}`,
  ),
  vpceCase(
    "vpce-svc-0a1b2c3d4e5f60718",
    "it is an AWS endpoint service id or name, not the id of the interface VPC endpoint that connects to it",
  ),
  vpceCase(
    "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718",
    "it is an AWS endpoint service id or name, not the id of the interface VPC endpoint that connects to it",
  ),
  vpceCase("endpoint", 'it does not start with "vpce-"'),
  vpceCase(42, "it is not a string"),
];

/** Returns the pattern the end of a reason for `property` must match. */
export function expectationOf(property: InvalidIdCase["property"]): RegExp {
  return property === "interfaceEndpointId" ? VPCE_ID_EXPECTATION : HEX_ID_EXPECTATION;
}

/** An invalid `timeouts` input, the property its failure names, and the explanation the reason must give. */
export interface InvalidTimeoutsCase {
  timeouts: unknown;
  property: string;
  problem: string;
}

/** The end of the reason for an invalid duration. */
export const DURATION_EXPECTATION =
  ': expected minutes as a positive number, or a positive duration such as "90s", "45m", "2h" or "1h30m"';

/** Invalid `timeouts` inputs for `check`. */
export const INVALID_TIMEOUTS_CASES: readonly InvalidTimeoutsCase[] = [
  { timeouts: { create: -5 }, property: "timeouts.create", problem: "(it is negative)" },
  { timeouts: { create: "-5m" }, property: "timeouts.create", problem: "(it is negative)" },
  { timeouts: { delete: 0 }, property: "timeouts.delete", problem: "(it is zero)" },
  { timeouts: { delete: "0s" }, property: "timeouts.delete", problem: "(it is zero)" },
  { timeouts: { create: "0.0001s" }, property: "timeouts.create", problem: "(it is shorter than a millisecond)" },
  { timeouts: { create: "" }, property: "timeouts.create", problem: "(it is empty)" },
  { timeouts: { create: "soon" }, property: "timeouts.create", problem: '(it uses the unit "soon", but only h, m' },
  { timeouts: { create: "2h30" }, property: "timeouts.create", problem: "(each part must be a number followed by h" },
  { timeouts: { create: "30m2h" }, property: "timeouts.create", problem: "in the order h, m, s)" },
  { timeouts: { create: "90" }, property: "timeouts.create", problem: "(it has no unit: a string needs h, m or s" },
  { timeouts: { create: "2 hours" }, property: "timeouts.create", problem: '(it uses the unit "hours"' },
  { timeouts: { create: "1d" }, property: "timeouts.create", problem: '(it uses the unit "d"' },
  { timeouts: { delete: "500ms" }, property: "timeouts.delete", problem: '(it uses the unit "ms"' },
  { timeouts: { create: "1 h" }, property: "timeouts.create", problem: "(it contains whitespace)" },
  { timeouts: { create: true }, property: "timeouts.create", problem: "(it is neither a number nor a string)" },
];
