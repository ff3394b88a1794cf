// Pinned checkpoint revisions (issue 15): pure helpers, no I/O.

/**
 * The URL an evaluation or a merge should use for a checkpoint pinned to `revision`: for the Hub,
 * `hf://owner/repo@<sha>[/path]` (whatever revision the registered URL named); other schemes carry
 * no revision in the URL (the backend checks the ETag or version id itself), so the URL as given.
 */
export function pinnedUrl(url: string, revision: string | null): string {
  if (!revision) return url;
  const hub = /^hf:\/\/([^/@]+)\/([^/@]+)(?:@[^/]+)?(\/.*)?$/.exec(url);
  if (!hub) return url;
  return `hf://${hub[1]}/${hub[2]}@${revision}${hub[3] ?? ""}`;
}

/** URLs the edge asks the backend to pin: everything except merge outputs still being written. */
export function needsPin(url: string): boolean {
  return !url.startsWith("merge://");
}
