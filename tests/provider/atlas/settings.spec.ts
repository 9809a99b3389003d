import * as assert from "node:assert/strict";

import * as sinon from "sinon";

import { AtlasClient, DEFAULT_BASE_URL, MissingCredentialsError, resolveClientSettings } from "../../../provider/atlas";
import type { ConfigSource } from "../../../provider/atlas";
import { PRIVATE_KEY, PUBLIC_KEY } from "./support/fixtures";

const ENV_KEYS = { MONGODB_ATLAS_PUBLIC_KEY: PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_KEY: PRIVATE_KEY };

function configOf(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

describe("resolveClientSettings", () => {
  it("applies the defaults", () => {
    assert.deepEqual(resolveClientSettings(undefined, ENV_KEYS), {
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      baseUrl: DEFAULT_BASE_URL,
      retry: { maxAttempts: 5, maxElapsedMs: 300_000 },
      allowInsecureHttp: false,
      privateEndpointApi: "v2",
    });
  });

  it("resolves the credentials like resolveCredentials", () => {
    const config = configOf({ "mongodbatlas:baseUrl": "https://cloud.mongodbgov.com/" });

    const settings = resolveClientSettings(config, ENV_KEYS);

    assert.equal(settings.baseUrl, "https://cloud.mongodbgov.com");
  });

  it("rejects a base URL with the API path", () => {
    const config = configOf({ "mongodbatlas:baseUrl": "http://127.0.0.1:18080/api/atlas/v2" });

    assert.throws(() => resolveClientSettings(config, ENV_KEYS), {
      message: /^Invalid Atlas base URL "http:\/\/127\.0\.0\.1:18080\/api\/atlas\/v2" in mongodbatlas:baseUrl: /,
    });
  });

  it("throws MissingCredentialsError without keys", () => {
    assert.throws(() => resolveClientSettings(undefined, {}), MissingCredentialsError);
  });

  it("reads every key by its full name", () => {
    const get = sinon.stub<[string], string | undefined>().returns(undefined);
    get.withArgs("mongodbatlas:publicKey").returns(PUBLIC_KEY);
    get.withArgs("mongodbatlas:privateKey").returns(PRIVATE_KEY);

    resolveClientSettings({ get }, {});

    assert.deepEqual(get.args.map(([key]) => key).sort(), [
      "mongodbatlas:accessToken",
      "mongodbatlas:allowInsecureHttp",
      "mongodbatlas:baseUrl",
      "mongodbatlas:clientId",
      "mongodbatlas:clientSecret",
      "mongodbatlas:isMongodbgovCloud",
      "mongodbatlas:maxRetries",
      "mongodbatlas:privateEndpointApi",
      "mongodbatlas:privateKey",
      "mongodbatlas:publicKey",
      "mongodbatlas:retryTimeout",
    ]);
  });

  it("reads process.env by default", () => {
    sinon.stub(process, "env").value({ ...ENV_KEYS, MONGODB_ATLAS_MAX_RETRIES: "2" });
    try {
      assert.equal(resolveClientSettings(undefined).retry?.maxAttempts, 3);
    } finally {
      sinon.restore();
    }
  });

  context("maxRetries", () => {
    it("reads mongodbatlas:maxRetries", () => {
      const settings = resolveClientSettings(configOf({ "mongodbatlas:maxRetries": "7" }), ENV_KEYS);

      assert.equal(settings.retry?.maxAttempts, 8);
    });

    it("reads MONGODB_ATLAS_MAX_RETRIES", () => {
      const settings = resolveClientSettings(undefined, { ...ENV_KEYS, MONGODB_ATLAS_MAX_RETRIES: "1" });

      assert.equal(settings.retry?.maxAttempts, 2);
    });

    it("prefers config over the environment", () => {
      const config = configOf({ "mongodbatlas:maxRetries": "3" });

      const settings = resolveClientSettings(config, { ...ENV_KEYS, MONGODB_ATLAS_MAX_RETRIES: "9" });

      assert.equal(settings.retry?.maxAttempts, 4);
    });

    it("accepts 0 to turn retries off", () => {
      const settings = resolveClientSettings(configOf({ "mongodbatlas:maxRetries": " 0 " }), ENV_KEYS);

      assert.equal(settings.retry?.maxAttempts, 1);
    });

    for (const value of ["-1", "1.5", "four", "1e3", "99999999999999999999"]) {
      it(`rejects "${value}"`, () => {
        assert.throws(() => resolveClientSettings(configOf({ "mongodbatlas:maxRetries": value }), ENV_KEYS), {
          message: `Invalid mongodbatlas:maxRetries "${value}": expected a whole number of retries of 0 or more, such as 4.`,
        });
      });
    }

    it("names the environment variable of an invalid value", () => {
      assert.throws(() => resolveClientSettings(undefined, { ...ENV_KEYS, MONGODB_ATLAS_MAX_RETRIES: "x" }), {
        message: /^Invalid MONGODB_ATLAS_MAX_RETRIES "x": /,
      });
    });
  });

  context("retryTimeout", () => {
    const valid: [string, number][] = [
      ["90", 90_000],
      ["1.5", 1_500],
      ["0", 0],
      ["90s", 90_000],
      ["5m", 300_000],
      ["1h30m", 5_400_000],
      ["2m30s", 150_000],
      ["500ms", 500],
      ["5M", 300_000],
    ];

    for (const [value, maxElapsedMs] of valid) {
      it(`reads "${value}" as ${maxElapsedMs} ms`, () => {
        const settings = resolveClientSettings(configOf({ "mongodbatlas:retryTimeout": value }), ENV_KEYS);

        assert.equal(settings.retry?.maxElapsedMs, maxElapsedMs);
      });
    }

    it("reads MONGODB_ATLAS_RETRY_TIMEOUT", () => {
      const settings = resolveClientSettings(undefined, { ...ENV_KEYS, MONGODB_ATLAS_RETRY_TIMEOUT: "45s" });

      assert.equal(settings.retry?.maxElapsedMs, 45_000);
    });

    for (const value of ["5 minutes", "-5", "m5", "5x", "1h 30m", "1.2.3s"]) {
      it(`rejects "${value}"`, () => {
        assert.throws(() => resolveClientSettings(configOf({ "mongodbatlas:retryTimeout": value }), ENV_KEYS), {
          message:
            `Invalid mongodbatlas:retryTimeout "${value}": ` +
            'expected a number of seconds or a duration such as "90s", "5m" or "1h30m".',
        });
      });
    }
  });

  context("allowInsecureHttp", () => {
    for (const [value, expected] of [
      ["true", true],
      ["TRUE", true],
      ["false", false],
    ] as const) {
      it(`reads "${value}" as ${expected}`, () => {
        const settings = resolveClientSettings(configOf({ "mongodbatlas:allowInsecureHttp": value }), ENV_KEYS);

        assert.equal(settings.allowInsecureHttp, expected);
      });
    }

    it("reads MONGODB_ATLAS_ALLOW_INSECURE_HTTP", () => {
      const settings = resolveClientSettings(undefined, { ...ENV_KEYS, MONGODB_ATLAS_ALLOW_INSECURE_HTTP: "true" });

      assert.equal(settings.allowInsecureHttp, true);
    });

    it("rejects a value other than true or false", () => {
      assert.throws(() => resolveClientSettings(configOf({ "mongodbatlas:allowInsecureHttp": "yes" }), ENV_KEYS), {
        message: 'Invalid mongodbatlas:allowInsecureHttp "yes": expected "true" or "false".',
      });
    });
  });

  context("privateEndpointApi", () => {
    for (const [value, expected] of [
      ["v2", "v2"],
      ["legacy", "legacy"],
      [" Legacy ", "legacy"],
    ] as const) {
      it(`reads "${value}" as ${expected}`, () => {
        const settings = resolveClientSettings(configOf({ "mongodbatlas:privateEndpointApi": value }), ENV_KEYS);

        assert.equal(settings.privateEndpointApi, expected);
      });
    }

    it("reads MONGODB_ATLAS_PRIVATE_ENDPOINT_API", () => {
      const settings = resolveClientSettings(undefined, { ...ENV_KEYS, MONGODB_ATLAS_PRIVATE_ENDPOINT_API: "legacy" });

      assert.equal(settings.privateEndpointApi, "legacy");
    });

    it("prefers config over the environment", () => {
      const settings = resolveClientSettings(configOf({ "mongodbatlas:privateEndpointApi": "v2" }), {
        ...ENV_KEYS,
        MONGODB_ATLAS_PRIVATE_ENDPOINT_API: "legacy",
      });

      assert.equal(settings.privateEndpointApi, "v2");
    });

    it("rejects an unknown API with the allowed values", () => {
      assert.throws(() => resolveClientSettings(configOf({ "mongodbatlas:privateEndpointApi": "v1" }), ENV_KEYS), {
        message: 'Invalid mongodbatlas:privateEndpointApi "v1": expected "v2" or "legacy".',
      });
    });

    it("names the environment variable of an unknown API", () => {
      const env = { ...ENV_KEYS, MONGODB_ATLAS_PRIVATE_ENDPOINT_API: "v1.0" };

      assert.throws(() => resolveClientSettings(undefined, env), {
        message: 'Invalid MONGODB_ATLAS_PRIVATE_ENDPOINT_API "v1.0": expected "v2" or "legacy".',
      });
    });
  });
});

describe("AtlasClient base URL transport", () => {
  const keys = { publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY };

  it("rejects plain http to a remote host", () => {
    assert.throws(() => new AtlasClient({ ...keys, baseUrl: "http://atlas.example.com" }), {
      message:
        "Invalid Atlas base URL in mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL: the scheme http to the host " +
        "atlas.example.com would send requests unencrypted. Use https, or set mongodbatlas:allowInsecureHttp or " +
        'MONGODB_ATLAS_ALLOW_INSECURE_HTTP to "true" to allow plain http to a host that is not loopback.',
    });
  });

  it("rejects the API path in the options", () => {
    assert.throws(() => new AtlasClient({ ...keys, baseUrl: "https://cloud.mongodb.com/api/atlas/v2" }), {
      message: /in mongodbatlas:baseUrl or MONGODB_ATLAS_BASE_URL: the path \/api\/atlas\/v2 contains an api segment/,
    });
  });

  it("names the host and port but not the path", () => {
    assert.throws(
      () => new AtlasClient({ ...keys, baseUrl: "http://atlas.example.com:8080/private/base" }),
      (err: Error) => err.message.includes("host atlas.example.com:8080 ") && !err.message.includes("/private/base"),
    );
  });

  it("rejects a user name and password without quoting them", () => {
    assert.throws(
      () => new AtlasClient({ ...keys, baseUrl: "http://someone:hunter2@atlas.example.com" }),
      (err: Error) =>
        err.message.includes("must not contain a user name or password") && !err.message.includes("hunter2"),
    );
  });

  it("treats 128.0.0.1 as remote", () => {
    assert.throws(() => new AtlasClient({ ...keys, baseUrl: "http://128.0.0.1:8080" }), {
      message: /the scheme http to the host 128\.0\.0\.1:8080 /,
    });
  });

  for (const baseUrl of [
    "http://127.0.0.1:8080",
    "http://127.10.20.30",
    "http://localhost:8080",
    "http://LOCALHOST",
    "http://[::1]:8080",
  ]) {
    it(`allows plain http to ${baseUrl}`, () => {
      assert.doesNotThrow(() => new AtlasClient({ ...keys, baseUrl }));
    });
  }

  it("allows remote http with allowInsecureHttp", () => {
    assert.doesNotThrow(
      () => new AtlasClient({ ...keys, baseUrl: "http://atlas.example.com", allowInsecureHttp: true }),
    );
  });

  it("allows https to any host", () => {
    assert.doesNotThrow(() => new AtlasClient({ ...keys, baseUrl: "https://atlas.example.com" }));
  });
});
