import assert from "node:assert/strict";
import sinon from "sinon";
import { lazyProvider } from "../../provider/lazyProvider";
import type { ForwardedProvider } from "../../provider/lazyProvider";

type Provider = ForwardedProvider<Record<string, unknown>, Record<string, unknown>>;

function fakeProvider(): Provider {
  return {
    configure: sinon.stub().resolves(),
    check: sinon.stub().resolves({ inputs: { checked: true } }),
    diff: sinon.stub().resolves({ changes: false }),
    create: sinon.stub().resolves({ id: "created-id", outs: {} }),
    read: sinon.stub().resolves({ id: "read-id" }),
    update: sinon.stub().resolves({ outs: {} }),
    delete: sinon.stub().resolves(),
  };
}

describe("lazyProvider", () => {
  it("loads nothing before the first call", () => {
    const load = sinon.stub().returns(fakeProvider());
    lazyProvider(load);
    assert.equal(load.callCount, 0);
  });

  it("loads once across calls", async () => {
    const load = sinon.stub().returns(fakeProvider());
    const methods = lazyProvider(load);
    await methods.check({}, {});
    await methods.read("id", {});
    assert.equal(load.callCount, 1);
  });

  it("forwards arguments and results", async () => {
    const provider = fakeProvider();
    const methods = lazyProvider(() => provider);
    const result = await methods.create({ name: "a" });
    assert.deepEqual((provider.create as sinon.SinonStub).firstCall.args, [{ name: "a" }]);
    assert.deepEqual(result, { id: "created-id", outs: {} });
  });

  it("passes a load error to the caller", async () => {
    const methods = lazyProvider((): Provider => {
      throw new Error("cannot load the provider module");
    });
    await assert.rejects(
      async () => methods.diff("id", {}, {}),
      (err: Error) => err.message === "cannot load the provider module",
    );
  });

  it("loads again after a failed load", async () => {
    const load = sinon.stub();
    load.onFirstCall().throws(new Error("first load fails"));
    load.onSecondCall().returns(fakeProvider());
    const methods = lazyProvider(load as () => Provider);
    await assert.rejects(async () => methods.delete("id", {}));
    await methods.delete("id", {});
    assert.equal(load.callCount, 2);
  });
});
