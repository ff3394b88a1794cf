import { describe, expect, it } from "vitest";
import { executorContainerEnv } from "../../../src/runtime/executor-container.ts";

describe("the executor Container's environment", () => {
  it("hands the Worker's EXECUTOR_TOKEN secret to the image, which refuses to start without one", () => {
    expect(executorContainerEnv({ EXECUTOR_TOKEN: "tok_123" })).toEqual({ EXECUTOR_TOKEN: "tok_123", EXECUTOR_MAX_QUEUE: "16" });
  });

  it("names the missing secret and how to set it", () => {
    expect(() => executorContainerEnv({})).toThrow(/EXECUTOR_TOKEN.*wrangler secret put EXECUTOR_TOKEN/);
  });
});
