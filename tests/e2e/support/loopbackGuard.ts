import dns from "node:dns";
import { appendFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";

/**
 * Environment variable with the redirects of the preload: comma-separated `host:port=127.0.0.1:port` pairs, such as
 * `cloud.mongodbgov.com:443=127.0.0.1:41234`.
 */
export const REDIRECTS_ENV = "LOOPBACK_GUARD_REDIRECTS";

/** Environment variable with the path of a file to which the guard appends one JSON line per event, or unset for none. */
export const EVENT_LOG_ENV = "LOOPBACK_GUARD_EVENT_LOG";

/** Error code of a connection or DNS lookup that the guard rejected. */
export const GUARD_ERROR_CODE = "ERR_LOOPBACK_GUARD";

/** Loopback address and port that connections to one host and port are sent to instead. */
export interface RedirectTarget {
  host: string;
  port: number;
}

/** One line of the event log: a process that loaded the guard, a redirected connection or a rejected one. */
export type GuardEvent =
  | { event: "load"; pid: number; script: string }
  | { event: "redirect"; pid: number; from: string; to: string }
  | { event: "reject"; pid: number; target: string; operation: string };

/** Error for a connection or DNS lookup of a host that is neither loopback nor redirected, with that host in `target`. */
export class LoopbackGuardError extends Error {
  readonly code = GUARD_ERROR_CODE;

  /** Builds the message from the operation (`connect`, `dns.lookup` and the like) and its target. */
  constructor(
    readonly operation: string,
    readonly target: string,
  ) {
    super(
      `Loopback guard rejected ${operation} to ${target}: this test process may reach loopback addresses only. ` +
        `Add a redirect to ${REDIRECTS_ENV} to send this target to a local server.`,
    );
    this.name = "LoopbackGuardError";
  }
}

/**
 * Returns true for `localhost`, IPv4 addresses in 127.0.0.0/8, `::1` and IPv4-mapped loopback addresses. Any other
 * host, `0.0.0.0` included, is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost" || name === "::1" || name === "0:0:0:0:0:0:0:1") {
    return true;
  }
  const ipv4 = name.startsWith("::ffff:") ? name.slice("::ffff:".length) : name;
  return net.isIPv4(ipv4) && ipv4.startsWith("127.");
}

/**
 * Parses the value of {@link REDIRECTS_ENV} into a map from `host:port` (host in lower case) to its target. Returns
 * an empty map for undefined or blank text. Throws an Error for a malformed pair or a target that is not loopback.
 */
export function parseRedirects(text: string | undefined): Map<string, RedirectTarget> {
  const redirects = new Map<string, RedirectTarget>();
  for (const pair of (text ?? "").split(",")) {
    if (pair.trim() === "") {
      continue;
    }
    const match = /^\s*([^\s:=]+):(\d+)=([^\s=]+):(\d+)\s*$/.exec(pair);
    if (match === null) {
      throw new Error(`Invalid ${REDIRECTS_ENV} entry "${pair}": expected host:port=127.0.0.1:port.`);
    }
    const target = { host: match[3].replace(/^\[(.*)\]$/, "$1"), port: Number(match[4]) };
    if (!isLoopbackHost(target.host)) {
      throw new Error(`Invalid ${REDIRECTS_ENV} entry "${pair}": the target ${target.host} is not loopback.`);
    }
    redirects.set(`${match[1].toLowerCase()}:${Number(match[2])}`, target);
  }
  return redirects;
}

/** Host, port and the rest of a `Socket#connect` call, or undefined for a connection to a local IPC path. */
interface ConnectCall {
  host: string;
  port: number;
  options: net.TcpSocketConnectOpts;
  callback: unknown;
}

/**
 * Reads the target of a `Socket#connect` call in every form Node.js accepts: `(options[, callback])`,
 * `(port[, host][, callback])`, `(path[, callback])`, and the array of normalized arguments that `net.connect`
 * passes.
 */
function readConnectCall(args: unknown[]): ConnectCall | undefined {
  const normalized = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const last = normalized[normalized.length - 1];
  const callback = typeof last === "function" ? last : undefined;
  const first = normalized[0];
  let options: Record<string, unknown>;
  if (typeof first === "object" && first !== null) {
    options = first as Record<string, unknown>;
  } else if (typeof first === "string" && !/^\d+$/.test(first)) {
    return undefined;
  } else {
    options = { port: first, host: typeof normalized[1] === "string" ? normalized[1] : undefined };
  }
  if (options.path !== undefined) {
    return undefined;
  }
  const host = typeof options.host === "string" && options.host !== "" ? options.host : "localhost";
  return { host, port: Number(options.port), options: options as unknown as net.TcpSocketConnectOpts, callback };
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Names of the `dns` functions the guard wraps. Each takes the host name or address as its first argument. */
const DNS_FUNCTIONS = [
  "lookup",
  "lookupService",
  "resolve",
  "resolve4",
  "resolve6",
  "resolveAny",
  "resolveCaa",
  "resolveCname",
  "resolveMx",
  "resolveNaptr",
  "resolveNs",
  "resolvePtr",
  "resolveSoa",
  "resolveSrv",
  "resolveTxt",
  "reverse",
] as const;

/** Key on `globalThis` that marks a process in which the guard is installed. */
const INSTALLED = Symbol.for("pulumi-atlas-privatelink.loopbackGuard");

/** What {@link installLoopbackGuard} replaced, so that {@link LoopbackGuard.uninstall} can restore it. */
interface Replaced {
  target: object;
  name: string;
  original: unknown;
}

/** An installed guard: its redirects, and a way to restore the original functions. */
export interface LoopbackGuard {
  readonly redirects: ReadonlyMap<string, RedirectTarget>;
  /** Restores every wrapped function of `net`, `tls` and `dns`. */
  uninstall(): void;
}

/**
 * Wraps `net.Socket#connect`, `tls.connect` and the `dns` lookups of this process. A TCP connection to a redirected
 * `host:port` goes to its loopback target instead, and a TLS connection keeps the original host as server name (SNI)
 * and for the certificate check. A connection to any other host that is not loopback fails on the next tick with
 * {@link LoopbackGuardError}, before any DNS lookup, and a DNS lookup of such a host fails the same way. Appends each
 * event to `eventLog` when given. Throws an Error when a guard is already installed in this process.
 * NOTE: sockets made outside `net.Socket` (UDP through `dgram`, native addons, worker threads that did not load the
 * guard) are not covered.
 */
export function installLoopbackGuard(redirects: Map<string, RedirectTarget>, eventLog?: string): LoopbackGuard {
  const globals = globalThis as Record<symbol, unknown>;
  if (globals[INSTALLED] === true) {
    throw new Error("The loopback guard is already installed in this process.");
  }
  const record = (event: GuardEvent): void => {
    if (eventLog === undefined) {
      return;
    }
    try {
      appendFileSync(eventLog, `${JSON.stringify(event)}\n`);
    } catch (error) {
      process.stderr.write(`Loopback guard failed to write its event log ${eventLog}: ${String(error)}\n`);
    }
  };
  const replaced: Replaced[] = [];
  const replace = (target: object, name: string, wrapper: unknown): void => {
    replaced.push({ target, name, original: (target as Record<string, unknown>)[name] });
    (target as Record<string, unknown>)[name] = wrapper;
  };

  // Read through an index signature because the original is called with an explicit `this` below.
  const originalConnect = (net.Socket.prototype as unknown as Record<string, unknown>).connect as AnyFunction;
  replace(net.Socket.prototype, "connect", function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const call = readConnectCall(args);
    if (call === undefined) {
      return originalConnect.apply(this, args);
    }
    const from = `${call.host.toLowerCase()}:${call.port}`;
    const redirect = redirects.get(from);
    if (redirect !== undefined) {
      record({ event: "redirect", pid: process.pid, from, to: `${redirect.host}:${redirect.port}` });
      const options = { ...call.options, host: redirect.host, port: redirect.port };
      return originalConnect.call(this, options, call.callback);
    }
    if (isLoopbackHost(call.host)) {
      return originalConnect.apply(this, args);
    }
    record({ event: "reject", pid: process.pid, target: from, operation: "connect" });
    const error = new LoopbackGuardError("a connection", from);
    process.nextTick(() => this.destroy(error));
    return this;
  });

  const originalTlsConnect = tls.connect as AnyFunction;
  replace(tls, "connect", function guardedTlsConnect(...args: unknown[]) {
    const options = args[0];
    if (typeof options === "object" && options !== null) {
      const { host, port, servername } = options as tls.ConnectionOptions;
      const key = `${(host ?? "localhost").toLowerCase()}:${Number(port)}`;
      if (servername === undefined && host !== undefined && redirects.has(key)) {
        args[0] = { ...options, servername: host };
      }
    }
    return originalTlsConnect(...args);
  });

  for (const module of [dns, dns.promises]) {
    for (const name of DNS_FUNCTIONS) {
      const original = (module as unknown as Record<string, unknown>)[name];
      if (typeof original !== "function") {
        continue;
      }
      const originalDns = original as AnyFunction;
      const isPromise = module === dns.promises;
      replace(module, name, function guardedDns(this: unknown, ...args: unknown[]) {
        const host = args[0];
        if (typeof host === "string" && isLoopbackHost(host)) {
          return originalDns.apply(this, args);
        }
        const target = String(host);
        record({ event: "reject", pid: process.pid, target, operation: `dns.${name}` });
        const error = new LoopbackGuardError(`the DNS query dns.${name}`, target);
        if (isPromise) {
          return Promise.reject(error);
        }
        const callback = args[args.length - 1];
        if (typeof callback !== "function") {
          throw error;
        }
        process.nextTick(() => (callback as (error: Error) => void)(error));
        return undefined;
      });
    }
  }

  globals[INSTALLED] = true;
  // Only the script path is logged, because other arguments may carry credentials.
  record({ event: "load", pid: process.pid, script: process.argv[1] ?? "" });
  return {
    redirects,
    uninstall(): void {
      for (const { target, name, original } of replaced.reverse()) {
        (target as Record<string, unknown>)[name] = original;
      }
      globals[INSTALLED] = false;
    },
  };
}
