// Every resource mounts its routes here: one file per resource, one line each.
import type { App } from "../http/env.ts";
import { mountPublicReads } from "../http/cache.ts";
import { identify } from "../services/access.ts";
import { mountAudit } from "./audit.ts";
import { mountTeams } from "./teams.ts";
import { mountWebhookSecrets } from "./webhook-secrets.ts";
import type { Ports } from "../ports.ts";
import { mountBackendEvents } from "./backend-events.ts";
import { mountBenchmarks } from "./benchmarks.ts";
import { mountCheckpoints } from "./checkpoints.ts";
import { mountDocs } from "./docs.ts";
import { mountHealth } from "./health.ts";
import { mountTrainingRunHooks } from "./hooks.ts";
import { mountComparisons } from "./comparisons.ts";
import { mountEnsembles } from "./ensembles.ts";
import { mountEvaluationMetrics } from "./evaluation-metrics.ts";
import { mountEvaluationRetryErrors } from "./evaluation-retry-errors.ts";
import { mountEvaluations } from "./evaluations.ts";
import { mountKeys } from "./keys.ts";
import { mountLeaderboard } from "./leaderboard.ts";
import { mountMerges } from "./merges.ts";
import { mountPages } from "./pages.tsx";
import { mountRunFrontier } from "./runs-frontier.ts";
import { mountRunPolicies } from "./run-policies.ts";
import { mountSubmissions } from "./submissions.ts";
import { mountTracks } from "./tracks.ts";

export type MountRoutes = (app: App, ports: Ports) => void;

/** Resolves the optional API key into the principal for every route (services/access.ts). */
const mountIdentify: MountRoutes = (app, ports) => {
  app.use("*", identify(ports));
};

export const routes: MountRoutes[] = [
  mountIdentify, // who calls (team, scopes), private caching, the audit log: before everything
  mountPublicReads, // cache and CORS middleware for public reads: before the routes it wraps
  mountHealth,
  mountCheckpoints,
  mountTrainingRunHooks,
  mountKeys,
  mountTeams,
  mountWebhookSecrets,
  mountAudit,
  // pipeline
  mountBenchmarks,
  mountMerges,
  mountEvaluations,
  mountEvaluationMetrics,
  mountEvaluationRetryErrors,
  mountEnsembles,
  mountComparisons,
  mountRunFrontier,
  mountRunPolicies,
  mountBackendEvents,
  // leaderboard
  mountTracks,
  mountSubmissions,
  mountLeaderboard,
  mountPages,
  mountDocs,
];
