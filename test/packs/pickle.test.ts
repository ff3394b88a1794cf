// The pickle subset decoder, against pickles written by CPython (protocol 4 and 2), and its refusal
// of anything that would construct objects.
import { describe, expect, it } from "vitest";
import { PickleError, unpickle } from "../../packs/importers/pickle.ts";
import { base64Bytes, zlibInflate } from "../../packs/importers/common.ts";
import { decodePickledTests } from "../../packs/importers/livecodebench.ts";

// pickle.dumps(..., protocol=N) output from CPython 3.11, base64.
const DICT_STR = "gASVTgAAAAAAAAB9lIwMaW5wdXRfb3V0cHV0lIw4eyJpbnB1dHMiOiBbIjFcbiJdLCAib3V0cHV0cyI6IFsiMlxuIl0sICJmbl9uYW1lIjogbnVsbH2Ucy4=";
const STR_P4 = "gASVPAAAAAAAAACMOFt7ImlucHV0IjogIjNcbiIsICJvdXRwdXQiOiAiOVxuIiwgInRlc3R0eXBlIjogInN0ZGluIn1dlC4=";
const MIXED_P4 = "gASVVwAAAAAAAAB9lCiMAWGUXZQoSwFK/v///00sAUpwEQEAigUADvrV/ooJAAAAAAAAAABARz/4AAAAAAAAiIlOSwFLAoaUSwFLAksDh5QpjALDqZRljAFilEMCeHmUdS4=";
const P2 = "gAJ9cQAoWAEAAABhcQFdcQIoSwFLAlgBAAAAeHEDZVgBAAAAdHEESwGFcQV1Lg==";
const ORDERED_DICT = "gASVKQAAAAAAAACMC2NvbGxlY3Rpb25zlIwLT3JkZXJlZERpY3SUk5QpUpSMAWGUSwFzLg==";
// base64(zlib(pickle(json string))), the release rows' private_test_cases shape.
const RELEASE_PRIVATE = "eJxrYJlaxgABPUXR1UqZeQWlJUpWCkqmMXlKOgpK+aUlUAEjqEhJanFJSWVBKkisuCQlM0+pVkcBSaMZukZjM5waY6foAQBDByYt";

describe("unpickle", () => {
  it("decodes the dict-of-string shape of SandboxFusion rows", () => {
    const value = unpickle(base64Bytes(DICT_STR)) as Record<string, string>;
    expect(JSON.parse(value.input_output!)).toEqual({ inputs: ["1\n"], outputs: ["2\n"], fn_name: null });
  });

  it("decodes a bare string (release rows)", () => {
    expect(JSON.parse(unpickle(base64Bytes(STR_P4)) as string)).toEqual([{ input: "3\n", output: "9\n", testtype: "stdin" }]);
  });

  it("decodes ints of every width, floats, booleans, None, tuples, unicode and bytes", () => {
    const value = unpickle(base64Bytes(MIXED_P4)) as { a: unknown[]; b: Uint8Array };
    expect(value.a).toEqual([1, -2, 300, 70000, -5000000000, 2n ** 70n, 1.5, true, false, null, [1, 2], [1, 2, 3], [], "é"]);
    expect([...value.b]).toEqual([0x78, 0x79]);
  });

  it("decodes protocol 2 (BINPUT memo, MARK/APPENDS, TUPLE1)", () => {
    expect(unpickle(base64Bytes(P2))).toEqual({ a: [1, 2, "x"], t: [1] });
  });

  it("refuses object construction (GLOBAL/REDUCE) instead of running it", () => {
    expect(() => unpickle(base64Bytes(ORDERED_DICT))).toThrow(PickleError);
    expect(() => unpickle(base64Bytes(ORDERED_DICT))).toThrow(/unsupported pickle opcode 0x93/);
  });

  it("reports truncation", () => {
    const bytes = base64Bytes(STR_P4);
    expect(() => unpickle(bytes.subarray(0, 30))).toThrow(/truncated/);
  });

  it("inflates zlib and decodes base64(zlib(pickle))", async () => {
    const decoded = await decodePickledTests(RELEASE_PRIVATE);
    expect(JSON.parse(decoded as string)).toHaveLength(2);
    await expect(zlibInflate(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });
});
