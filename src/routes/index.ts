// Every resource mounts its routes here: one file per resource, one line each.
import type { App } from "../http/env.ts";
import { mountPublicReads } from "../http/cache.ts";
import { identify } from "../services/access.ts";
import { mountAssets } from "./assets.ts";
import { mountAudit } from "./audit.ts";
import { mountTeams } from "./teams.ts";
import { mountWebhookSecrets } from "./webhook-secrets.ts";
import type { Ports } from "../ports.ts";
import { mountAdmin } from "./admin.ts";
import { mountBackendEvents } from "./backend-events.ts";
import { mountBenchmarks } from "./benchmarks.ts";
import { mountCancel } from "./cancel.ts";
import { mountCheckpoints } from "./checkpoints.ts";
import { mountDocs } from "./docs.ts";
import { mountHealth } from "./health.ts";
import { mountTrainingRunHooks } from "./hooks.ts";
import { mountComparisons } from "./comparisons.ts";
import { mountEnsembles } from "./ensembles.ts";
import { mountEvaluationExport } from "./evaluation-export.ts";
import { mountEvaluationMetrics } from "./evaluation-metrics.ts";
import { mountEvaluationRetryErrors } from "./evaluation-retry-errors.ts";
import { mountEvaluations } from "./evaluations.ts";
import { mountGc } from "./gc.ts";
import { mountKeys } from "./keys.ts";
import { mountLeaderboard } from "./leaderboard.ts";
import { mountMerges } from "./merges.ts";
import { mountPacks } from "./packs.ts";
import { mountPages } from "./pages.tsx";
import { mountPublications } from "./publications.ts";
import { mountRunFrontier } from "./runs-frontier.ts";
import { mountRunPairs } from "./run-pairs.ts";
import { mountRunPolicies } from "./run-policies.ts";
import { mountSubmissions } from "./submissions.ts";
import { mountTracks } from "./tracks.ts";
import { mountWebhooks } from "./webhooks.ts";

export type MountRoutes = (app: App, ports: Ports) => void;

/** Resolves the optional API key into the principal for every route (services/access.ts). */
const mountIdentify: MountRoutes = (app, ports) => {
  app.use("*", identify(ports));
};

export const routes: MountRoutes[] = [
  mountAssets, // the page's built files: public, answered before anything else runs
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
  mountPacks,
  mountMerges,
  mountGc,
  mountEvaluations,
  mountEvaluationMetrics,
  mountEvaluationExport,
  mountEvaluationRetryErrors,
  mountPublications,
  mountEnsembles,
  mountComparisons,
  mountRunFrontier,
  mountRunPolicies,
  mountRunPairs,
  mountBackendEvents,
  mountAdmin,
  mountCancel,
  mountWebhooks,
  // leaderboard
  mountTracks,
  mountSubmissions,
  mountLeaderboard,
  mountPages,
  mountDocs,
];
