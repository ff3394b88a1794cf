/** @jsxImportSource hono/jsx */
// The page at /: server-rendered so the table reads without JavaScript; web/client enhances it
// (sorting, the frontier plot, checkpoint detail) from the JSON embedded in #page-data.
import type { FC } from "hono/jsx";
import type { LeaderboardRow } from "./leaderboard.ts";
import type { PageData } from "./leaderboard-page.ts";

export const ASSET_SCRIPT = "/assets/leaderboard.js";
export const ASSET_STYLES = "/assets/leaderboard.css";

const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`);

export function rowName(row: LeaderboardRow): string {
  if (row.label) return row.label;
  if (row.lineage.alpha !== null) return `α = ${row.lineage.alpha}`;
  return row.id;
}

function lineageText(row: LeaderboardRow): string {
  if (row.kind === "ensemble") return `ensemble of ${row.lineage.members?.length ?? 0} (${row.ensemble?.allocation ?? ""})`;
  if (row.lineage.alpha !== null) return `merge, α = ${row.lineage.alpha}`;
  if (row.lineage.parents?.length) return `merge of ${row.lineage.parents.map((p) => `${p.coefficient}·${p.checkpoint}`).join(" + ")}`;
  return row.lineage.step !== null ? `trained, step ${row.lineage.step}` : (row.lineage.source ?? "trained");
}

/** JSON inside <script>: `<` escaped so no string in the data can close the element. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const Filters: FC<{ data: PageData }> = ({ data }) => (
  <form class="filters" method="get" action="/" aria-label="Filter the leaderboard">
    <label>
      Benchmark
      <select name="benchmark">
        {data.benchmarks.map((b) => (
          <option value={b.id} selected={data.benchmark?.id === b.id}>
            {b.name} ({b.version.slice(7, 19)}, {b.problems} problems)
          </option>
        ))}
      </select>
    </label>
    <label>
      k
      <select name="k">
        {data.ks.map((k) => (
          <option value={String(k)} selected={k === data.k}>
            {k}
          </option>
        ))}
      </select>
    </label>
    {data.runs.length > 0 && (
      <label>
        Frontier run
        <select name="run">
          {data.runs.map((r) => (
            <option value={r.run} selected={r.run === data.run}>
              {r.run} ({r.checkpoints})
            </option>
          ))}
        </select>
      </label>
    )}
    <button type="submit">Apply</button>
  </form>
);

const COLUMNS = [
  { key: "rank", label: "Rank", type: "number" },
  { key: "name", label: "Checkpoint", type: "text" },
  { key: "run", label: "Run", type: "text" },
  { key: "pass", label: "pass@k ± SE", type: "number" },
  { key: "correctness", label: "Correctness failures", type: "number" },
  { key: "efficiency", label: "Efficiency failures", type: "number" },
  { key: "samples", label: "Samples / problem", type: "number" },
  { key: "lineage", label: "Lineage", type: "text" },
  { key: "updated", label: "Updated", type: "text" },
] as const;

const sortValue = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));

const Table: FC<{ data: PageData }> = ({ data }) => {
  const rows = data.leaderboard.data;
  return (
    <table id="leaderboard" aria-describedby="leaderboard-caption">
      <caption id="leaderboard-caption">
        pass@{data.k} on {data.benchmark?.name ?? "—"}
        {data.leaderboard.track ? `, track ${data.leaderboard.track} (only evaluations that follow its protocol)` : " (no track: ad-hoc, unranked view)"}, best
        first. Failure rates are shares of judged samples.
      </caption>
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th scope="col" data-key={column.key} data-type={column.type} aria-sort={column.key === "rank" ? "ascending" : undefined}>
              {column.key === "pass" ? `pass@${data.k} ± SE` : column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colspan={COLUMNS.length}>No complete evaluations on this benchmark yet.</td>
          </tr>
        )}
        {rows.map((row, i) => (
          <tr data-id={row.id} data-kind={row.kind}>
            <td data-sort={String(i + 1)}>{i + 1}</td>
            <th scope="row" data-sort={rowName(row)}>
              <span class="name">{rowName(row)}</span>
              {row.kind === "ensemble" && <span class="badge">ensemble</span>}
              {row.published === false && (
                <span class="badge unpublished" title="Only your team sees this row: publish it to show it on the public board">
                  unpublished
                </span>
              )}
              {row.kind === "checkpoint" && data.details[row.id] && (
                <button type="button" class="detail-button" data-checkpoint={row.id} aria-controls="detail" hidden>
                  Details
                </button>
              )}
            </th>
            <td data-sort={row.run ?? ""}>{row.run ?? "—"}</td>
            <td data-sort={sortValue(row.pass_at_k)} class="num">
              {percent(row.pass_at_k)}
              {row.se !== null && <span class="se"> ± {percent(row.se)}</span>}
            </td>
            <td data-sort={sortValue(row.correctness_failure_rate)} class="num">
              {percent(row.correctness_failure_rate)}
            </td>
            <td data-sort={sortValue(row.efficiency_failure_rate)} class="num">
              {percent(row.efficiency_failure_rate)}
            </td>
            <td data-sort={sortValue(row.samples_per_problem)} class="num">
              {row.samples_per_problem ?? "—"}
            </td>
            <td data-sort={lineageText(row)}>{lineageText(row)}</td>
            <td data-sort={row.updated_at}>
              <time datetime={row.updated_at} title={row.updated_at}>
                {row.updated_at.slice(0, 10)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const FrontierSection: FC<{ data: PageData }> = ({ data }) => {
  const frontier = data.frontier;
  if (!frontier || frontier.points.length === 0)
    return <p>No checkpoint has a complete frontier here yet (public frontiers show published evaluations only).</p>;
  const pareto = new Set(frontier.pareto);
  // A run's frontier is its team's keyed view; without one the page shows the track's published points.
  const whose = frontier.run !== null ? `run ${frontier.run}` : `track ${frontier.track ?? ""} (published checkpoints)`;
  return (
    <>
      <figure id="frontier-figure" aria-labelledby="frontier-caption">
        <div id="frontier-plot" role="img" aria-label={`Frontier of ${whose}: correctness- against efficiency-failure rate, one mark per checkpoint`}></div>
        <figcaption id="frontier-caption">
          {frontier.run !== null ? "Run" : "Track"} <strong>{frontier.run ?? frontier.track}</strong>
          {frontier.run === null && " (every team's published checkpoints)"}: each mark is a checkpoint; merges are joined in α order. Circles interpolate (0
          &lt; α &lt; 1), squares are the endpoints (α = 0, 1), triangles extrapolate (α &lt; 0 or α &gt; 1); ringed marks are the Pareto set (no other
          checkpoint fails less on both).
        </figcaption>
      </figure>
      <details>
        <summary>Frontier data ({frontier.points.length} checkpoints)</summary>
        <table id="frontier-table">
          <thead>
            <tr>
              <th scope="col">Checkpoint</th>
              <th scope="col">α</th>
              <th scope="col">Correctness failures</th>
              <th scope="col">Efficiency failures</th>
              <th scope="col" title="CE, OLE and completions with no code, outside both rates">
                Other failures
              </th>
              <th scope="col">pass@{data.k}</th>
              <th scope="col">Pareto</th>
            </tr>
          </thead>
          <tbody>
            {frontier.points.map((p) => (
              <tr>
                <th scope="row">{p.label ?? p.checkpoint}</th>
                <td class="num">{p.alpha ?? "—"}</td>
                <td class="num">{percent(p.correctness_failure_rate)}</td>
                <td class="num">{percent(p.efficiency_failure_rate)}</td>
                <td class="num">{percent(p.other_failure_rate ?? null)}</td>
                <td class="num">{percent(p.pass_at_k[`pass@${data.k}`] ?? null)}</td>
                <td>{pareto.has(p.checkpoint) ? "yes" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
};

const StepsSection: FC<{ data: PageData }> = ({ data }) => {
  if (!data.run || data.steps.length === 0) return <p>No training step of this run has a complete evaluation here yet.</p>;
  return (
    <table id="steps-table">
      <caption>
        Run <strong>{data.run}</strong>: pass@{data.k} and failure rates of its training checkpoints, by step
      </caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">pass@{data.k}</th>
          <th scope="col">Correctness failures</th>
          <th scope="col">Efficiency failures</th>
          <th scope="col">Evaluation</th>
        </tr>
      </thead>
      <tbody>
        {data.steps.map((s) => (
          <tr>
            <th scope="row" class="num">
              {s.step}
            </th>
            <td class="num">{percent(s.pass_at_k)}</td>
            <td class="num">{percent(s.correctness_failure_rate)}</td>
            <td class="num">{percent(s.efficiency_failure_rate)}</td>
            <td>
              <a href={`/v1/evaluations/${s.evaluation}`}>{s.evaluation}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const QueueSection: FC<{ data: PageData }> = ({ data }) => {
  if (data.queue.length === 0) return <p>No submission is queued or running.</p>;
  return (
    <table id="queue-table">
      <thead>
        <tr>
          <th scope="col">Position</th>
          <th scope="col">Checkpoint URL</th>
          <th scope="col">Track</th>
          <th scope="col">Status</th>
          <th scope="col">Progress (judged / requested)</th>
          <th scope="col">Submitted</th>
        </tr>
      </thead>
      <tbody>
        {data.queue.map((s) => (
          <tr>
            <td class="num">{s.position ?? "—"}</td>
            <th scope="row">{s.label ?? s.url}</th>
            <td>{s.track}</td>
            <td>{s.status}</td>
            <td class="num">
              {s.progress.judged} / {s.progress.requested}
            </td>
            <td>
              <time datetime={s.created_at}>{s.created_at.slice(0, 16).replace("T", " ")}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const LeaderboardPageView: FC<{ data: PageData; query: string }> = ({ data, query }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>Frontier leaderboard{data.benchmark ? ` — ${data.benchmark.name}` : ""}</title>
      <meta name="description" content="pass@k, failure rates and the correctness–efficiency frontier of code-RL checkpoints" />
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href={ASSET_STYLES} />
    </head>
    <body>
      <a class="skip" href="#leaderboard">
        Skip to the leaderboard
      </a>
      <header>
        <h1>Frontier leaderboard</h1>
        <p>Checkpoints and ensembles of code-RL runs, judged in a sandbox on nested test tiers.</p>
      </header>
      <main>
        <Filters data={data} />
        {data.missing !== null && (
          <p role="alert" class="notice">
            No benchmark named “{data.missing}”.
          </p>
        )}
        <section aria-labelledby="table-heading">
          <h2 id="table-heading">Leaderboard</h2>
          <Table data={data} />
          {data.leaderboard.next_cursor && (
            <p>
              <a href={`/?${query}${query ? "&" : ""}cursor=${encodeURIComponent(data.leaderboard.next_cursor)}`}>Next page</a>
            </p>
          )}
        </section>
        <section aria-labelledby="frontier-heading">
          <h2 id="frontier-heading">Correctness–efficiency frontier</h2>
          <FrontierSection data={data} />
        </section>
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">Run by step</h2>
          <StepsSection data={data} />
        </section>
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">Submission queue</h2>
          <QueueSection data={data} />
        </section>
        <section id="detail" aria-labelledby="detail-heading" aria-live="polite" tabindex={-1}>
          <h2 id="detail-heading">Checkpoint detail</h2>
          <p class="hint">Choose “Details” on a checkpoint row to see its pass@k curve, tier-by-tier pass rates, failures and ensembles.</p>
        </section>
      </main>
      <footer>
        <p>
          Data: <a href="/v1/leaderboard">/v1/leaderboard</a>, <a href="/v1/benchmarks">/v1/benchmarks</a>, <a href="/docs">API docs</a>.
        </p>
      </footer>
      <script
        type="application/json"
        id="page-data"
        dangerouslySetInnerHTML={{
          __html: embeddedJson({
            k: data.k,
            benchmark: data.benchmark?.id ?? null,
            frontier: data.frontier,
            details: data.details,
            rows: data.leaderboard.data,
          }),
        }}
      ></script>
      <script type="module" src={ASSET_SCRIPT}></script>
    </body>
  </html>
);
