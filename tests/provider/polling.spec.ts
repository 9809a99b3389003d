import assert from "node:assert/strict";
import sinon from "sinon";
import { backoffDelayMs, DEFAULT_POLL_SCHEDULE, pollUntil } from "../../provider/polling";
import { FakeClock } from "./support/fakeAtlas";
import { rejectionOf } from "./support/assertions";

const SCHEDULE = { initialDelayMs: 100, multiplier: 2, maxDelayMs: 500 };

describe("polling", () => {
  it("defaults to the proportional schedule", () => {
    assert.deepEqual(DEFAULT_POLL_SCHEDULE, {
      initialDelayMs: 1000,
      multiplier: 1,
      maxDelayMs: 15000,
      elapsedRatio: 0.1,
    });
  });

  it("computes capped exponential delays", () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, SCHEDULE));
    assert.deepEqual(delays, [100, 200, 400, 500, 500]);
  });

  it("grows the default delay with the time waited", () => {
    const delays = [0, 5_000, 10_000, 42_345, 150_000, 3_600_000].map((elapsedMs) =>
      backoffDelayMs(7, DEFAULT_POLL_SCHEDULE, elapsedMs),
    );
    assert.deepEqual(delays, [1000, 1000, 1000, 4235, 15000, 15000]);
  });

  it("polls the default schedule within a tenth of the time waited", async () => {
    const clock = new FakeClock();
    const startMs = clock.now();
    const result = await pollUntil({
      fetch: () => Promise.resolve(clock.now() - startMs),
      isDone: (elapsedMs) => elapsedMs >= 120_000,
      startMs,
      timeoutMs: 3_600_000,
      schedule: DEFAULT_POLL_SCHEDULE,
      clock,
    });
    assert.deepEqual(
      clock.sleeps.slice(0, 12),
      [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1100],
    );
    assert.equal(clock.sleeps.length, 37);
    assert.equal(result.elapsedMs, 131_111);
    // The change at 120 s is noticed 11.1 s late: under a tenth of the 131.1 s waited.
    assert.ok(result.elapsedMs - 120_000 < result.elapsedMs / 10);
  });

  it("returns the value that ends the wait", async () => {
    const clock = new FakeClock();
    const fetch = sinon.stub<[], Promise<number>>();
    fetch.onCall(0).resolves(1);
    fetch.onCall(1).resolves(2);
    const result = await pollUntil({
      fetch,
      isDone: (value) => value === 2,
      startMs: clock.now(),
      timeoutMs: 10_000,
      schedule: SCHEDULE,
      clock,
    });
    assert.deepEqual(result, { done: true, value: 2, elapsedMs: 300 });
  });

  it("times out at the deadline", async () => {
    const clock = new FakeClock();
    const result = await pollUntil({
      fetch: () => Promise.resolve(0),
      isDone: () => false,
      startMs: clock.now(),
      timeoutMs: 1000,
      schedule: SCHEDULE,
      clock,
    });
    assert.deepEqual(result, { done: false, elapsedMs: 1000, lastError: undefined });
    assert.deepEqual(clock.sleeps, [100, 200, 400, 300]);
  });

  it("counts time before the wait", async () => {
    const clock = new FakeClock();
    const startMs = clock.now();
    clock.advance(900);
    const result = await pollUntil({
      fetch: () => Promise.resolve(0),
      isDone: () => false,
      startMs,
      timeoutMs: 1000,
      schedule: SCHEDULE,
      clock,
    });
    assert.equal(result.elapsedMs, 1000);
    assert.deepEqual(clock.sleeps, [100]);
  });

  it("rethrows a fetch error that is not retried", async () => {
    const clock = new FakeClock();
    const err = await rejectionOf(
      pollUntil({
        fetch: () => Promise.reject(new Error("forbidden")),
        isDone: () => true,
        startMs: clock.now(),
        timeoutMs: 1000,
        schedule: SCHEDULE,
        clock,
      }),
    );
    assert.equal(err.message, "forbidden");
  });

  it("retries after the requested delay", async () => {
    const clock = new FakeClock();
    const fetch = sinon.stub<[], Promise<number>>();
    fetch.onCall(0).rejects(new Error("busy"));
    fetch.onCall(1).resolves(1);
    const onRetry = sinon.spy();
    await pollUntil({
      fetch,
      isDone: () => true,
      startMs: clock.now(),
      timeoutMs: 10_000,
      schedule: SCHEDULE,
      clock,
      retryDelayMs: () => 350,
      onRetry,
    });
    assert.deepEqual(clock.sleeps, [100, 350]);
    assert.equal(onRetry.callCount, 1);
  });

  it("reports the last fetch error on timeout", async () => {
    const clock = new FakeClock();
    const busy = new Error("busy");
    const result = await pollUntil({
      fetch: () => Promise.reject(busy),
      isDone: () => true,
      startMs: clock.now(),
      timeoutMs: 250,
      schedule: SCHEDULE,
      clock,
      retryDelayMs: () => 0,
    });
    assert.equal(result.done, false);
    assert.equal(result.done ? undefined : result.lastError, busy);
  });

  it("passes an error thrown by isDone through", async () => {
    const clock = new FakeClock();
    const err = await rejectionOf(
      pollUntil({
        fetch: () => Promise.resolve(1),
        isDone: () => {
          throw new Error("rejected");
        },
        startMs: clock.now(),
        timeoutMs: 1000,
        schedule: SCHEDULE,
        clock,
        retryDelayMs: () => 0,
      }),
    );
    assert.equal(err.message, "rejected");
  });
});
