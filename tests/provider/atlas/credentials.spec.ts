import * as assert from "node:assert/strict";

import * as sinon from "sinon";

import { DEFAULT_BASE_URL, GOV_BASE_URL, MissingCredentialsError, resolveCredentials } from "../../../provider/atlas";
import type { ConfigSource } from "../../../provider/atlas";

const CONFIG_PUBLIC = "cfgpubky";
const CONFIG_PRIVATE = "11111111-2222-4333-8444-555555555555";
const ENV_PUBLIC = "envpubky";
const ENV_PRIVATE = "66666666-7777-4888-9999-000000000000";
const CONFIG_CHANGE_NOTE =
  "`pulumi refresh` and `pulumi destroy` use the stack config recorded by the last `pulumi up` unless run with " +
  "`--run-program`, so after setting or changing keys in config, run `pulumi up` (or `pulumi refresh " +
  "--run-program`) first. Environment variables take effect at once.";

function configOf(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

function missingOf(run: () => unknown): MissingCredentialsError {
  try {
    run();
  } catch (err) {
    if (err instanceof MissingCredentialsError) {
      return err;
    }
    throw err;
  }
  throw new Error("expected MissingCredentialsError, but nothing was thrown");
}

describe("resolveCredentials", () => {
  it("prefers config over the environment", () => {
    const config = configOf({
      "mongodbatlas:publicKey": CONFIG_PUBLIC,
      "mongodbatlas:privateKey": CONFIG_PRIVATE,
      "mongodbatlas:baseUrl": "https://cloud.mongodbgov.com",
    });
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC,
      MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE,
      MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:9",
    };

    assert.deepEqual(resolveCredentials(config, env), {
      publicKey: CONFIG_PUBLIC,
      privateKey: CONFIG_PRIVATE,
      baseUrl: "https://cloud.mongodbgov.com",
    });
  });

  it("reads fully qualified config keys", () => {
    const get = sinon.stub<[string], string | undefined>().returns(undefined);
    get.withArgs("mongodbatlas:publicKey").returns(CONFIG_PUBLIC);
    get.withArgs("mongodbatlas:privateKey").returns(CONFIG_PRIVATE);

    resolveCredentials({ get }, {});

    assert.deepEqual(get.args.map(([key]) => key).sort(), [
      "mongodbatlas:accessToken",
      "mongodbatlas:baseUrl",
      "mongodbatlas:clientId",
      "mongodbatlas:clientSecret",
      "mongodbatlas:isMongodbgovCloud",
      "mongodbatlas:privateKey",
      "mongodbatlas:publicKey",
    ]);
  });

  it("reads the environment without config", () => {
    const env = { MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE };

    assert.deepEqual(resolveCredentials(undefined, env), {
      publicKey: ENV_PUBLIC,
      privateKey: ENV_PRIVATE,
      baseUrl: DEFAULT_BASE_URL,
    });
  });

  it("reads the _API_KEY environment names", () => {
    const env = { MONGODB_ATLAS_PUBLIC_API_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_API_KEY: ENV_PRIVATE };

    const credentials = resolveCredentials(undefined, env);

    assert.equal(credentials.publicKey, ENV_PUBLIC);
    assert.equal(credentials.privateKey, ENV_PRIVATE);
  });

  it("prefers _KEY over _API_KEY", () => {
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC,
      MONGODB_ATLAS_PUBLIC_API_KEY: "otherpub",
      MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE,
      MONGODB_ATLAS_PRIVATE_API_KEY: "other-private",
    };

    const credentials = resolveCredentials(undefined, env);

    assert.equal(credentials.publicKey, ENV_PUBLIC);
    assert.equal(credentials.privateKey, ENV_PRIVATE);
  });

  it("does not mix config and environment keys", () => {
    const config = configOf({ "mongodbatlas:publicKey": CONFIG_PUBLIC });

    const err = missingOf(() => resolveCredentials(config, { MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE }));

    assert.deepEqual(err.missing, ["privateKey"]);
    assert.equal(err.source, "config");
  });

  it("defaults the base URL to cloud.mongodb.com", () => {
    const env = { MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE };

    assert.equal(resolveCredentials(undefined, env).baseUrl, "https://cloud.mongodb.com");
  });

  it("reads the base URL from the environment and drops trailing slashes", () => {
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC,
      MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE,
      MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:8080/",
    };

    assert.equal(resolveCredentials(undefined, env).baseUrl, "http://127.0.0.1:8080");
  });

  it("treats empty and blank values as unset", () => {
    const config = configOf({
      "mongodbatlas:publicKey": "",
      "mongodbatlas:privateKey": "  ",
      "mongodbatlas:baseUrl": "",
    });
    const env = {
      MONGODB_ATLAS_PUBLIC_KEY: "",
      MONGODB_ATLAS_PUBLIC_API_KEY: ENV_PUBLIC,
      MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE,
    };

    assert.deepEqual(resolveCredentials(config, env), {
      publicKey: ENV_PUBLIC,
      privateKey: ENV_PRIVATE,
      baseUrl: DEFAULT_BASE_URL,
    });
  });

  it("trims surrounding whitespace", () => {
    const env = { MONGODB_ATLAS_PUBLIC_KEY: ` ${ENV_PUBLIC}\n`, MONGODB_ATLAS_PRIVATE_KEY: `${ENV_PRIVATE}\n` };

    const credentials = resolveCredentials(undefined, env);

    assert.equal(credentials.publicKey, ENV_PUBLIC);
    assert.equal(credentials.privateKey, ENV_PRIVATE);
  });

  it("reads process.env by default", () => {
    sinon.stub(process, "env").value({ MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE });
    try {
      assert.equal(resolveCredentials(undefined).publicKey, ENV_PUBLIC);
    } finally {
      sinon.restore();
    }
  });

  context("when keys are missing", () => {
    it("names every method and both ways to set it", () => {
      const err = missingOf(() => resolveCredentials(undefined, {}));

      assert.deepEqual(err.missing, []);
      assert.equal(err.source, undefined);
      assert.equal(
        err.message,
        "Missing Atlas credentials. Set an access token with " +
          "`pulumi config set --secret mongodbatlas:accessToken <access token>` " +
          "(environment: MONGODB_ATLAS_ACCESS_TOKEN), a service account with " +
          "`pulumi config set mongodbatlas:clientId <client id>` and " +
          "`pulumi config set --secret mongodbatlas:clientSecret <client secret>` " +
          "(environment: MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET), or an API key pair with " +
          "`pulumi config set --secret mongodbatlas:publicKey <public key>` and " +
          "`pulumi config set --secret mongodbatlas:privateKey <private key>` " +
          `(environment: MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY). ${CONFIG_CHANGE_NOTE}`,
      );
    });

    it("names only the private key when the public key is set", () => {
      const err = missingOf(() => resolveCredentials(configOf({ "mongodbatlas:publicKey": CONFIG_PUBLIC }), {}));

      assert.deepEqual(err.missing, ["privateKey"]);
      assert.equal(
        err.message,
        "Missing the Atlas API private key in stack config. Set it with " +
          "`pulumi config set --secret mongodbatlas:privateKey <private key>`. Stack config sets part of this " +
          `method, so no credential is read from environment variables. ${CONFIG_CHANGE_NOTE}`,
      );
    });

    it("names only the public key when the private key is set", () => {
      const err = missingOf(() => resolveCredentials(undefined, { MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE }));

      assert.deepEqual(err.missing, ["publicKey"]);
      assert.equal(err.source, "environment");
      assert.equal(
        err.message,
        "Missing the Atlas API public key. Set it with the environment variable MONGODB_ATLAS_PUBLIC_KEY, or set " +
          "the credentials in stack config with `pulumi config set --secret mongodbatlas:publicKey <public key>`.",
      );
    });

    it("keeps the set key out of the message", () => {
      const err = missingOf(() => resolveCredentials(undefined, { MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE }));

      assert.ok(!err.message.includes(ENV_PRIVATE), "message does not contain the private key");
      assert.ok(!JSON.stringify(err).includes(ENV_PRIVATE), "JSON does not contain the private key");
    });
  });

  context("with an invalid base URL", () => {
    const keys = { MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE };

    it("rejects a scheme other than http or https", () => {
      assert.throws(() => resolveCredentials(configOf({ "mongodbatlas:baseUrl": "file:///etc/atlas" }), keys), {
        message:
          'Invalid Atlas base URL "file:///etc/atlas" in mongodbatlas:baseUrl: ' +
          "the URL must use http or https, such as https://cloud.mongodb.com.",
      });
    });

    it("rejects the API path in config", () => {
      const config = configOf({ "mongodbatlas:baseUrl": "https://cloud.mongodb.com/api/atlas/v2" });

      assert.throws(() => resolveCredentials(config, keys), {
        message:
          'Invalid Atlas base URL "https://cloud.mongodb.com/api/atlas/v2" in mongodbatlas:baseUrl: the path ' +
          "/api/atlas/v2 contains an api segment, but the client adds the API path /api/atlas/v2 to every request " +
          "itself. Set the Atlas host only, such as https://cloud.mongodb.com.",
      });
    });

    it("names the environment variable for the API path", () => {
      const env = { ...keys, MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:18080/api/atlas/v2/" };

      assert.throws(() => resolveCredentials(undefined, env), {
        message: /^Invalid Atlas base URL "http:\/\/127\.0\.0\.1:18080\/api\/atlas\/v2\/" in MONGODB_ATLAS_BASE_URL: /,
      });
    });

    for (const url of ["https://cloud.mongodb.com/api", "https://proxy.example.com/atlas/API/atlas/v2"]) {
      it(`rejects the api segment in ${url}`, () => {
        assert.throws(() => resolveCredentials(configOf({ "mongodbatlas:baseUrl": url }), keys), {
          message: /contains an api segment/,
        });
      });
    }

    it("allows a path prefix without an api segment", () => {
      const config = configOf({ "mongodbatlas:baseUrl": "https://proxy.example.com/mongodb-atlas-api/" });

      assert.equal(resolveCredentials(config, keys).baseUrl, "https://proxy.example.com/mongodb-atlas-api");
    });

    it("rejects a query", () => {
      assert.throws(() => resolveCredentials(undefined, { ...keys, MONGODB_ATLAS_BASE_URL: "https://h.example?x=1" }), {
        message: /the URL must not contain a query or fragment/,
      });
    });

    it("rejects a user name and password without quoting them", () => {
      const url = "https://someone:hunter2@cloud.mongodb.com";

      assert.throws(
        () => resolveCredentials(undefined, { ...keys, MONGODB_ATLAS_BASE_URL: url }),
        (err: Error) =>
          err.message.includes("must not contain a user name or password") && !err.message.includes("hunter2"),
      );
    });
  });

  context("with several methods", () => {
    const CLIENT_ID = "mdb_sa_id_5f1a2b3c4d5e6f7a8b9c0d1e";
    const CLIENT_SECRET = "mdb_sa_sk_0123456789abcdef0123456789abcdef01234567";
    const TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl";
    const configKeys = { "mongodbatlas:publicKey": CONFIG_PUBLIC, "mongodbatlas:privateKey": CONFIG_PRIVATE };
    const configAccount = { "mongodbatlas:clientId": CLIENT_ID, "mongodbatlas:clientSecret": CLIENT_SECRET };
    const envKeys = { MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE };
    const envAccount = { MONGODB_ATLAS_CLIENT_ID: CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET };

    it("reads a service account from config", () => {
      assert.deepEqual(resolveCredentials(configOf(configAccount), {}), {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        baseUrl: DEFAULT_BASE_URL,
      });
    });

    it("reads a service account from the environment", () => {
      assert.deepEqual(resolveCredentials(undefined, envAccount), {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        baseUrl: DEFAULT_BASE_URL,
      });
    });

    it("reads an access token from the environment", () => {
      assert.deepEqual(resolveCredentials(undefined, { MONGODB_ATLAS_ACCESS_TOKEN: TOKEN }), {
        accessToken: TOKEN,
        baseUrl: DEFAULT_BASE_URL,
      });
    });

    it("prefers an access token over a service account and keys", () => {
      const config = configOf({ ...configKeys, ...configAccount, "mongodbatlas:accessToken": TOKEN });

      assert.deepEqual(resolveCredentials(config, {}), { accessToken: TOKEN, baseUrl: DEFAULT_BASE_URL });
    });

    it("prefers a service account over keys", () => {
      const credentials = resolveCredentials(undefined, { ...envKeys, ...envAccount });

      assert.equal(credentials.clientId, CLIENT_ID);
      assert.equal(credentials.publicKey, undefined);
    });

    it("prefers config keys over an environment access token", () => {
      const env = { ...envAccount, MONGODB_ATLAS_ACCESS_TOKEN: TOKEN };

      assert.deepEqual(resolveCredentials(configOf(configKeys), env), {
        publicKey: CONFIG_PUBLIC,
        privateKey: CONFIG_PRIVATE,
        baseUrl: DEFAULT_BASE_URL,
      });
    });

    it("uses a complete method beside a half-set one", () => {
      const config = configOf({ ...configKeys, "mongodbatlas:clientId": CLIENT_ID });

      assert.equal(resolveCredentials(config, {}).publicKey, CONFIG_PUBLIC);
    });

    it("names the missing client secret in config", () => {
      const config = configOf({ "mongodbatlas:clientId": CLIENT_ID });

      const err = missingOf(() => resolveCredentials(config, envKeys));

      assert.deepEqual(err.missing, ["clientSecret"]);
      assert.equal(err.source, "config");
      assert.match(
        err.message,
        /^Missing the Atlas service account client secret in stack config\. Set it with `pulumi config set --secret mongodbatlas:clientSecret <client secret>`\./,
      );
    });

    it("names the missing client id in the environment", () => {
      const err = missingOf(() => resolveCredentials(undefined, { MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET }));

      assert.deepEqual(err.missing, ["clientId"]);
      assert.match(err.message, /with the environment variable MONGODB_ATLAS_CLIENT_ID,/);
    });

    it("keeps the client secret out of the message", () => {
      const err = missingOf(() => resolveCredentials(undefined, { MONGODB_ATLAS_CLIENT_SECRET: CLIENT_SECRET }));

      assert.ok(!err.message.includes(CLIENT_SECRET), "message does not contain the client secret");
      assert.ok(!JSON.stringify(err).includes(CLIENT_SECRET), "JSON does not contain the client secret");
    });
  });

  context("with Atlas for Government", () => {
    const keys = { MONGODB_ATLAS_PUBLIC_KEY: ENV_PUBLIC, MONGODB_ATLAS_PRIVATE_KEY: ENV_PRIVATE };

    it("uses cloud.mongodbgov.com when the config flag is true", () => {
      const config = configOf({ "mongodbatlas:isMongodbgovCloud": "true" });

      assert.equal(resolveCredentials(config, keys).baseUrl, GOV_BASE_URL);
      assert.equal(GOV_BASE_URL, "https://cloud.mongodbgov.com");
    });

    it("reads MONGODB_ATLAS_IS_MONGODBGOV_CLOUD", () => {
      const env = { ...keys, MONGODB_ATLAS_IS_MONGODBGOV_CLOUD: "TRUE" };

      assert.equal(resolveCredentials(undefined, env).baseUrl, GOV_BASE_URL);
    });

    it("keeps the commercial URL when the flag is false", () => {
      const env = { ...keys, MONGODB_ATLAS_IS_MONGODBGOV_CLOUD: "false" };

      assert.equal(resolveCredentials(undefined, env).baseUrl, DEFAULT_BASE_URL);
    });

    it("lets an explicit base URL win over the flag", () => {
      const config = configOf({
        "mongodbatlas:isMongodbgovCloud": "true",
        "mongodbatlas:baseUrl": "http://127.0.0.1:8080",
      });

      assert.equal(resolveCredentials(config, keys).baseUrl, "http://127.0.0.1:8080");
    });

    it("lets the config flag win over an environment base URL", () => {
      const config = configOf({ "mongodbatlas:isMongodbgovCloud": "true" });
      const env = { ...keys, MONGODB_ATLAS_BASE_URL: "http://127.0.0.1:8080" };

      assert.equal(resolveCredentials(config, env).baseUrl, GOV_BASE_URL);
    });

    it("rejects a flag other than true or false", () => {
      const config = configOf({ "mongodbatlas:isMongodbgovCloud": "yes" });

      assert.throws(() => resolveCredentials(config, keys), {
        message: 'Invalid mongodbatlas:isMongodbgovCloud "yes": expected "true" or "false".',
      });
    });
  });
});
