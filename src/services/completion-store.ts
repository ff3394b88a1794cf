// Completion text in an object store (R2 on Workers) instead of D1: at paper size, real-model
// completions (2–20 KB each) would outgrow D1's 10 GB per database long before the rows that
// queries need do (docs/scale.md). Each ingested batch of an evaluation becomes one gzip object
// `completions/{evaluation}/{id}.json.gz`; its rows keep `text = ""` and `text_ref` = the key.
// Readers (the samples page, the export) fetch each object once per page and fill the text in.
import type { CompletionStore } from "../ports.ts";

/** One object's content: [problem, index, text] per sample. */
type Entry = [problem: string, index: number, text: string];

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

/** The object key of one batch (the id is unique per batch). */
export function completionKey(evaluationId: string, batchId: string): string {
  return `completions/${evaluationId}/${batchId}.json.gz`;
}

type TextRow = { problemId: string; index: number; text: string; textRef?: string | null };

/**
 * Moves the rows' text into one object and points the rows at it. Written before the rows are
 * inserted, so a row never names a missing object (an insert that fails leaves an unreferenced object).
 */
export async function storeCompletionTexts(store: CompletionStore, key: string, rows: TextRow[]): Promise<void> {
  if (rows.length === 0) return;
  const entries: Entry[] = rows.map((row) => [row.problemId, row.index, row.text]);
  await store.put(key, await gzip(JSON.stringify(entries)));
  for (const row of rows) {
    row.text = "";
    row.textRef = key;
  }
}

/** Fills in the text of rows kept in the store: each object read once. A missing object leaves "" (logged). */
export async function loadCompletionTexts<R extends TextRow>(store: CompletionStore | undefined, rows: R[]): Promise<R[]> {
  const refs = [...new Set(rows.flatMap((row) => (row.textRef ? [row.textRef] : [])))];
  if (refs.length === 0) return rows;
  if (!store) {
    console.error(`completion store: ${refs.length} object(s) referenced but no store is bound; completions answer ""`);
    return rows;
  }
  const texts = new Map<string, string>();
  await Promise.all(
    refs.map(async (ref) => {
      const bytes = await store.get(ref);
      if (!bytes) {
        console.error(`completion store: ${ref} is missing`);
        return;
      }
      for (const [problem, index, text] of JSON.parse(await gunzip(bytes)) as Entry[]) texts.set(`${ref}\u0000${problem}\u0000${index}`, text);
    }),
  );
  return rows.map((row) => (row.textRef ? { ...row, text: texts.get(`${row.textRef}\u0000${row.problemId}\u0000${row.index}`) ?? "" } : row));
}
