// Explanations for ids that fail validation. Each function receives a string that does not have the expected form
// and returns a phrase such as "it has 23 characters", which the validation message puts before the expected form.

const ONLY_AWS = "this package supports only AWS interface VPC endpoints";

/**
 * Returns a function that names what is wrong with an id that should be `length` lowercase hex characters: whitespace,
 * characters that are not hex digits, upper-case letters or the length, joined with "and".
 */
export function hexIdProblem(length: number): (value: string) => string | undefined {
  return (value) => {
    const problems: string[] = [];
    if (/\s/.test(value)) {
      problems.push("contains whitespace");
    }
    if (/[^0-9a-fA-F\s]/.test(value)) {
      problems.push("contains characters other than hex digits");
    }
    if (/[A-F]/.test(value)) {
      problems.push("contains upper-case letters");
    }
    if (value.length !== length) {
      problems.push(`has ${value.length} characters instead of ${length}`);
    }
    return problems.length === 0 ? undefined : `it ${problems.join(" and ")}`;
  };
}

/**
 * Names what is wrong with an AWS interface VPC endpoint id. Recognizes ids that users pass by mistake (Azure
 * private endpoint resource ids, GCP forwarding rule names, AWS endpoint service ids and names) and explains why they
 * do not fit.
 */
export function interfaceEndpointIdProblem(value: string): string | undefined {
  if (/^\/subscriptions\//i.test(value) || /\/providers\/microsoft\.network\//i.test(value)) {
    return `it looks like an Azure private endpoint resource id, but ${ONLY_AWS}`;
  }
  if (/^(?:https:\/\/www\.googleapis\.com\/compute\/v1\/)?projects\/[^/]+\//.test(value)) {
    return `it looks like a GCP resource path, but ${ONLY_AWS}`;
  }
  if (/vpce-svc-/i.test(value)) {
    return "it is an AWS endpoint service id or name, not the id of the interface VPC endpoint that connects to it";
  }
  if (/\s/.test(value)) {
    return "it contains whitespace";
  }
  if (/^(?:[0-9a-f]{17}|[0-9a-f]{8})$/i.test(value)) {
    const casing = /[A-F]/.test(value) ? " and contains upper-case letters" : "";
    return `it lacks the "vpce-" prefix${casing}`;
  }
  if (/^vpce-/i.test(value)) {
    const digits = value.slice("vpce-".length);
    const problems: string[] = [];
    if (/[A-Z]/.test(value)) {
      problems.push("contains upper-case letters");
    }
    if (/[^0-9a-fA-F]/.test(digits)) {
      problems.push('has characters other than hex digits after "vpce-"');
    }
    if (digits.length !== 17 && digits.length !== 8) {
      problems.push(`has ${digits.length} characters after "vpce-" instead of 17 or 8`);
    }
    return problems.length === 0 ? undefined : `it ${problems.join(" and ")}`;
  }
  // GCP names forwarding rules and endpoints like DNS labels: a lowercase letter, then letters, digits and hyphens.
  if (/^[a-z][-a-z0-9]{0,62}$/.test(value) && value.includes("-")) {
    return `it looks like a GCP forwarding rule name, but ${ONLY_AWS}`;
  }
  return 'it does not start with "vpce-"';
}
