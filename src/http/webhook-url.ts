// Which URLs an outbound webhook may be sent to: the checkpoint URL policy's https:// rules (no
// credentials, no IP literals, no localhost or private names). WEBHOOK_ALLOW_HOSTS (tests and
// `npm start` only) names hosts, addresses or CIDRs that are accepted anyway, over http or https.
import { checkCheckpointUrl, isAllowed, parseAllowList, type UrlCheck } from "@frontier/url-policy";

export function checkWebhookUrl(raw: string, allowHosts?: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (allowHosts && (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "") {
    const list = parseAllowList(allowHosts);
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (list.names.has(host) || (/^[\d.]+$|:/.test(host) && isAllowed(host, host, list))) return { ok: true, url: url.href };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "must be an https:// URL" };
  return checkCheckpointUrl(raw, { allowFileUrls: false });
}
