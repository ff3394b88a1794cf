import { describe, expect, it } from "vitest";
import { checkExact, checkFunctional, checkOutput, checkTokens } from "../../../workers/executor/src/checkers.ts";

describe("checkers", () => {
  it("tokens ignores whitespace layout but not content", () => {
    expect(checkTokens("1 2\n3\n", "1\n2 3")).toBeNull();
    expect(checkTokens("1 2 3", "1 2 4")).toMatch(/token 3/);
    expect(checkTokens("1 2 3", "1 2")).toMatch(/expected 3 tokens, got 2/);
    expect(checkTokens("1.0", "1")).not.toBeNull();
  });

  it("exact compares lines, tolerating CRLF and trailing whitespace only at the end", () => {
    expect(checkExact("a b\nc\n", "a b\r\nc")).toBeNull();
    expect(checkExact("a b\nc", "a  b\nc")).toMatch(/line 1/);
    expect(checkExact("a\nb", "a\n b")).toMatch(/line 2/);
  });

  it("float:EPS accepts absolute or relative error within EPS", () => {
    expect(checkOutput("float:1e-6", "0.3333333", "0.33333335")).toBeNull();
    expect(checkOutput("float:1e-6", "1000000000", "1000000500")).toBeNull(); // relative
    expect(checkOutput("float:1e-6", "0.5", "0.5001")).toMatch(/token 1/);
    expect(checkOutput("float:1e-6", "YES 0.5", "NO 0.5")).toMatch(/token 1/);
    expect(checkOutput("tokens", "0.5", "0.50")).not.toBeNull();
  });

  it("functional compares JSON deeply with float tolerance; booleans are not numbers", () => {
    expect(checkFunctional("tokens", "[1, [2, 3]]", "[1,[2,3]]")).toBeNull();
    expect(checkFunctional("tokens", "0.1", "0.1000000001")).toBeNull();
    expect(checkFunctional("tokens", "[1, 2]", "[2, 1]")).not.toBeNull();
    expect(checkFunctional("tokens", "true", "1")).not.toBeNull();
    expect(checkFunctional("tokens", '{"a": 1}', '{"a": 1}')).toBeNull();
    expect(checkFunctional("tokens", '"abc"', '"abd"')).not.toBeNull();
    expect(checkFunctional("float:1e-2", "3.14", "3.141")).toBeNull();
  });
});
