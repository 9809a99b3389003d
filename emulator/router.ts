/** A route: an HTTP method and a path template whose `{name}` segments capture one path segment each. */
export interface Route<Handler> {
  method: string;
  path: string;
  handler: Handler;
}

/** Result of matching a request: the handler and path parameters, the methods the path allows, or no route. */
export type RouteMatch<Handler> =
  | { kind: "found"; handler: Handler; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

interface CompiledRoute<Handler> {
  route: Route<Handler>;
  segments: string[];
}

/** Matches request paths against route templates; captured segments are percent-decoded. */
export class Router<Handler> {
  private readonly compiled: CompiledRoute<Handler>[];

  constructor(routes: Route<Handler>[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.path.split("/") }));
  }

  match(method: string, path: string): RouteMatch<Handler> {
    const segments = path.split("/");
    const allowed: string[] = [];
    for (const { route, segments: template } of this.compiled) {
      const params = matchSegments(template, segments);
      if (params === undefined) {
        continue;
      }
      if (route.method === method) {
        return { kind: "found", handler: route.handler, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}

function matchSegments(template: string[], segments: string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i];
    const actual = segments[i];
    if (expected.startsWith("{") && expected.endsWith("}")) {
      if (actual === "") {
        return undefined;
      }
      try {
        params[expected.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
