import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { startEmulator } from "../../emulator";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { GOV_HOST, readGovCertificate } from "../e2e/support/testCertificate";
import type { TestCertificate } from "../e2e/support/testCertificate";
import { rawRequest } from "./support/atlasTestClient";

/** Sends a GET over TLS to 127.0.0.1:`port` with `servername` as SNI and `host` as Host header, and resolves with the status. */
function httpsGet(
  port: number,
  path: string,
  certificate: TestCertificate,
  names: { servername: string; host: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        servername: names.servername,
        headers: { Host: names.host },
        ca: certificate.ca,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

async function requestLog(emulator: RunningEmulator): Promise<RequestLogEntry[]> {
  const response = await rawRequest(emulator.baseUrl, "GET", "/__emulator/requests");
  return (response.json as { requests: RequestLogEntry[] }).requests;
}

describe("emulator HTTPS listener", function () {
  this.timeout(15_000);
  let certificate: TestCertificate;
  let emulator: RunningEmulator;

  before(async function () {
    certificate = readGovCertificate();
    emulator = await startEmulator({ https: { cert: certificate.cert, key: certificate.key } });
  });

  after(async function () {
    await emulator.close();
  });

  beforeEach(async function () {
    await rawRequest(emulator.baseUrl, "DELETE", "/__emulator/requests");
  });

  it("listens on a second loopback port", function () {
    assert.equal(emulator.httpsBaseUrl, `https://127.0.0.1:${emulator.httpsPort}`);
    assert.notEqual(emulator.httpsPort, emulator.port);
  });

  it("logs host, TLS and server name of an HTTPS request", async function () {
    const path = `/api/atlas/v2/groups/${emulator.projectId}/privateEndpoint/AWS/endpointService`;
    const status = await httpsGet(emulator.httpsPort as number, path, certificate, {
      servername: GOV_HOST,
      host: GOV_HOST,
    });
    assert.equal(status, 401);
    const [entry, ...rest] = await requestLog(emulator);
    assert.deepEqual(rest, []);
    assert.equal(entry.path, path);
    assert.equal(entry.status, 401);
    assert.equal(entry.host, GOV_HOST);
    assert.equal(entry.tls, true);
    assert.equal(entry.serverName, GOV_HOST);
  });

  it("logs a plain HTTP request as not TLS", async function () {
    const response = await rawRequest(emulator.baseUrl, "GET", "/api/atlas/v2/groups", {
      headers: { Host: `${GOV_HOST}:443` },
    });
    assert.equal(response.status, 401);
    const [entry] = await requestLog(emulator);
    assert.equal(entry.host, `${GOV_HOST}:443`);
    assert.equal(entry.tls, false);
    assert.equal(entry.serverName, null);
  });

  it("serves the control routes over HTTPS too", async function () {
    const status = await httpsGet(emulator.httpsPort as number, "/__emulator/health", certificate, {
      servername: GOV_HOST,
      host: GOV_HOST,
    });
    assert.equal(status, 200);
  });

  it("fails a client that checks for another name", async function () {
    await assert.rejects(
      httpsGet(emulator.httpsPort as number, "/__emulator/health", certificate, {
        servername: "cloud.mongodb.com",
        host: "cloud.mongodb.com",
      }),
      /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/,
    );
  });
});

describe("emulator https option", function () {
  it("leaves HTTPS off by default", async function () {
    const emulator = await startEmulator();
    try {
      assert.equal(emulator.httpsBaseUrl, undefined);
      assert.equal(emulator.httpsPort, undefined);
    } finally {
      await emulator.close();
    }
  });

  it("rejects an empty certificate", async function () {
    await assert.rejects(startEmulator({ https: { cert: "", key: "key" } }), {
      name: "RangeError",
      message: "Emulator options https.cert and https.key must not be empty.",
    });
  });

  it("rejects an invalid port", async function () {
    const { cert, key } = readGovCertificate();
    await assert.rejects(startEmulator({ https: { cert, key, port: 70000 } }), {
      name: "RangeError",
      message: "Invalid emulator option https.port: 70000; it must be an integer from 0 to 65535.",
    });
  });

  it("rejects a key that does not match the certificate", async function () {
    const { ca, key } = readGovCertificate();
    await assert.rejects(startEmulator({ https: { cert: ca, key } }), /key values mismatch/);
  });
});
