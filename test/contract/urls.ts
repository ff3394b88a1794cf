// Checkpoint URLs: the accepted schemes, and a 422 naming the field for everything hostile.
import { describe, expect, it } from "vitest";
import { bearer, expectProblem, jsonInit, uniqueRun, type ContractHarness } from "./harness.ts";

export const ACCEPTED_URLS = [
  "hf://acme/coder-7b",
  "hf://acme/coder-7b@main",
  "hf://acme/coder-7b@5f1c2e9/checkpoints/step-200",
  "s3://ckpt-bucket/runs/a/step-100/model.safetensors",
  "https://models.example.com/runs/a/model.safetensors",
  "https://huggingface.co/acme/coder-7b/resolve/main/model.safetensors?download=true",
];

export const HOSTILE_URLS: [string, string][] = [
  ["http://models.example.com/x", "plain http"],
  ["https://user:pass@models.example.com/x", "credentials"],
  ["https://token@models.example.com/x", "username only"],
  ["https://models.example.com/x?X-Amz-Signature=abc&X-Amz-Credential=AKIA", "presigned credential"],
  ["s3://AKIAEXAMPLE:secret@bucket/key", "s3 credentials"],
  ["hf://user:hf_token@acme/repo", "hf credentials"],
  ["https://127.0.0.1/x", "loopback IPv4"],
  ["https://10.1.2.3/x", "private IPv4"],
  ["https://192.168.0.10/x", "private IPv4"],
  ["https://172.16.5.4/x", "private IPv4"],
  ["https://169.254.169.254/latest/meta-data/", "link-local metadata"],
  ["https://2130706433/x", "decimal IPv4"],
  ["https://0x7f000001/x", "hex IPv4"],
  ["https://[::1]/x", "IPv6 loopback"],
  ["https://[fe80::1]/x", "IPv6 link-local"],
  ["https://[fd00::1]/x", "IPv6 unique-local"],
  ["https://localhost/x", "localhost"],
  ["https://LOCALHOST:8443/x", "localhost, upper case"],
  ["https://api.localhost/x", "*.localhost"],
  ["https://printer.local/x", "mDNS .local"],
  ["https://metadata.google.internal/x", ".internal"],
  ["https://intranet/x", "single-label host"],
  ["s3://127.0.0.1/key", "IP bucket"],
  ["s3://bucket", "no key"],
  ["s3://bucket/../etc/passwd", "dot segments"],
  ["gs:///key", "no bucket"],
  ["gs://ckpt-bucket/runs/a/model.safetensors", "gs:// (the backend cannot fetch it)"],
  ["ftp://example.com/x", "other scheme"],
  ["javascript:alert(1)", "javascript"],
  ["data:text/plain,hi", "data"],
  ["relative/path", "relative"],
  ["hf://acme", "hf without repo"],
  ["https://models.example.com/a b", "whitespace"],
  ["", "empty"],
];

export function urlsContract(h: ContractHarness) {
  describe("checkpoint URLs", () => {
    it("accepts hf://, s3:// and https:// URLs", async () => {
      const key = await h.createApiKey(["submit"]);
      for (const url of ACCEPTED_URLS) {
        const res = await h.fetch("/v1/checkpoints", jsonInit("POST", { url, run: uniqueRun("urls") }, bearer(key)));
        expect({ url, status: res.status }).toEqual({ url, status: 201 });
      }
    });

    it("rejects hostile URLs with 422 naming the url field", async () => {
      const key = await h.createApiKey(["admin"]);
      for (const [url, why] of HOSTILE_URLS) {
        const res = await h.fetch("/v1/checkpoints", jsonInit("POST", { url, run: "hostile" }, bearer(key)));
        expect({ url, why, status: res.status }).toEqual({ url, why, status: 422 });
        const problem = await expectProblem(expect, res, 422, "validation");
        expect(problem.errors?.[0]?.path).toBe("url");
      }
    });

    it("accepts file:// only when the deployment allows it", async () => {
      const key = await h.createApiKey(["submit"]);
      const res = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "file:///data/ckpt/step-1", run: uniqueRun("file") }, bearer(key)));
      if (h.allowsFileUrls) {
        expect(res.status).toBe(201);
      } else {
        const problem = await expectProblem(expect, res, 422, "validation");
        expect(problem.errors?.[0]).toMatchObject({ path: "url", message: expect.stringContaining("ALLOW_FILE_URLS") });
      }
      const remote = await h.fetch("/v1/checkpoints", jsonInit("POST", { url: "file://fileserver/share/x", run: "file" }, bearer(key)));
      await expectProblem(expect, remote, 422);
    });
  });
}
