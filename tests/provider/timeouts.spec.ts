import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { formatDuration, parseDurationMs, resolveTimeouts, sameTimeouts } from "../../provider/timeouts";
import { UNKNOWN_VALUE } from "../../provider/unknown";

const DEFAULTS = { createMs: 7_200_000, deleteMs: 3_600_000 };

describe("timeouts", () => {
  describe("parseDurationMs", () => {
    const valid: [string | number, number][] = [
      ["90s", 90_000],
      ["45m", 2_700_000],
      ["2h", 7_200_000],
      ["1h30m", 5_400_000],
      ["1h0m30s", 3_630_000],
      ["1.5h", 5_400_000],
      [30, 1_800_000],
      [0.5, 30_000],
    ];
    for (const [value, ms] of valid) {
      it(`parses ${JSON.stringify(value)}`, () => {
        assert.equal(parseDurationMs(value), ms);
      });
    }

    const invalid: unknown[] = [
      "",
      "90",
      "30m2h",
      "1 h",
      "-5m",
      "0m",
      0,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      {},
    ];
    for (const value of invalid) {
      it(`rejects ${String(JSON.stringify(value))}`, () => {
        assert.equal(parseDurationMs(value), undefined);
      });
    }
  });

  describe("resolveTimeouts", () => {
    it("takes the defaults for unset fields", () => {
      assert.deepEqual(resolveTimeouts({ delete: "10m" }, DEFAULTS), { createMs: 7_200_000, deleteMs: 600_000 });
    });

    it("throws naming the invalid field", () => {
      assert.throws(() => resolveTimeouts({ create: "soon" }, DEFAULTS), /^Error: timeouts\.create "soon" is invalid/);
    });
  });

  describe("sameTimeouts", () => {
    it("compares resolved durations", () => {
      assert.equal(sameTimeouts(undefined, { create: "2h", delete: 60 }, DEFAULTS), true);
    });

    it("treats an unknown field as different", () => {
      assert.equal(sameTimeouts({ create: "2h" }, { create: UNKNOWN_VALUE }, DEFAULTS), false);
    });
  });

  describe("formatDuration", () => {
    const cases: [number, string][] = [
      [0, "0.0s"],
      [12_400, "12.4s"],
      [59_960, "60.0s"],
      [60_000, "1m"],
      [5_400_000, "1h30m"],
      [3_661_000, "1h1m1s"],
      [7_200_000, "2h"],
    ];
    for (const [ms, text] of cases) {
      it(`formats ${ms} ms as ${text}`, () => {
        assert.equal(formatDuration(ms), text);
      });
    }
  });

  it("uses the engine's placeholder for unknown values", () => {
    assert.equal(UNKNOWN_VALUE, pulumi.runtime.unknownValue);
  });
});
