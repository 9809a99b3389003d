import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** Host name of Atlas for Government, the only name the test certificate is issued for. */
export const GOV_HOST = "cloud.mongodbgov.com";

/** Folder with the committed loopback-only test certificates, found from the source or the compiled location. */
export const FIXTURES_DIR = findFixturesDir(__dirname);

/** PEM certificate of the test CA that issued the certificate for {@link GOV_HOST}. */
export const TEST_CA_PATH = path.join(FIXTURES_DIR, "loopback-test-ca.crt");

/** PEM certificate for {@link GOV_HOST}, issued by the test CA. */
export const GOV_CERT_PATH = path.join(FIXTURES_DIR, `${GOV_HOST}.crt`);

/** PEM private key of {@link GOV_CERT_PATH}. */
export const GOV_KEY_PATH = path.join(FIXTURES_DIR, `${GOV_HOST}.key`);

/** Contents of the test CA certificate and of the certificate and key for {@link GOV_HOST}. */
export interface TestCertificate {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Reads the test CA and the certificate and key for {@link GOV_HOST}. Throws the read error when one is missing. */
export function readGovCertificate(): TestCertificate {
  return { ca: readFileSync(TEST_CA_PATH), cert: readFileSync(GOV_CERT_PATH), key: readFileSync(GOV_KEY_PATH) };
}

function findFixturesDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tests", "e2e", "fixtures");
    if (existsSync(path.join(candidate, "loopback-test-ca.crt"))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find tests/e2e/fixtures/loopback-test-ca.crt above ${start}.`);
    }
  }
}
