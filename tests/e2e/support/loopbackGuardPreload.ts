// Preload for `node --require` (through NODE_OPTIONS): installs the loopback guard with the redirects and event log
// named in the environment before any other module runs. An invalid redirect throws here, so the process stops before
// it can open a connection.
import { EVENT_LOG_ENV, installLoopbackGuard, parseRedirects, REDIRECTS_ENV } from "./loopbackGuard";

const eventLog = process.env[EVENT_LOG_ENV];
installLoopbackGuard(parseRedirects(process.env[REDIRECTS_ENV]), eventLog === "" ? undefined : eventLog);
