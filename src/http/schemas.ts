// The public resources of @frontier/contracts, named as OpenAPI components. Routes answer with
// these, so /openapi.json is generated from the same schemas the CLI and the page validate with.
// Named once here: a component registered twice under one name would be ambiguous. clone(): a
// schema gets `.openapi` when it is created, so one built before @hono/zod-openapi was loaded (the
// contracts may load first) lacks it; the copy made here has it.
import {
  CheckpointPageSchema,
  CheckpointSchema,
  ComparisonSchema,
  EnsembleSchema,
  EvaluationMetricsSchema,
  EvaluationSamplePageSchema,
  EvaluationSampleSchema,
  EvaluationSchema,
  FrontierSchema,
  TrackFrontierSchema,
  LeaderboardRowSchema,
  LeaderboardSchema,
  MergeSchema,
  NewTrackSchema,
  SubmissionSchema,
  TrackSchema,
  NewWebhookSchema,
  WebhookDeliverySchema,
  WebhookSchema,
} from "@frontier/contracts";
import "@hono/zod-openapi"; // extends zod with .openapi()

export const Checkpoint = CheckpointSchema.clone().openapi("Checkpoint");
export const CheckpointPage = CheckpointPageSchema.extend({ data: Checkpoint.array() }).openapi("CheckpointPage");
export const Merge = MergeSchema.clone().openapi("Merge");
export const Evaluation = EvaluationSchema.clone().openapi("Evaluation");
export const Sample = EvaluationSampleSchema.clone().openapi("Sample");
export const SamplePage = EvaluationSamplePageSchema.extend({ data: Sample.array() }).openapi("SamplePage");
export const EvaluationMetrics = EvaluationMetricsSchema.clone().openapi("EvaluationMetrics");
export const Ensemble = EnsembleSchema.clone().openapi("Ensemble");
export const Comparison = ComparisonSchema.clone().openapi("Comparison");
export const Frontier = FrontierSchema.clone().openapi("Frontier");
export const TrackFrontier = TrackFrontierSchema.clone().openapi("TrackFrontier");
export const LeaderboardRow = LeaderboardRowSchema.clone().openapi("LeaderboardRow");
export const Leaderboard = LeaderboardSchema.extend({ data: LeaderboardRow.array() }).openapi("Leaderboard");
export const Track = TrackSchema.clone().openapi("Track");
export const NewTrack = NewTrackSchema.clone().openapi("NewTrack");
export const Submission = SubmissionSchema.clone().openapi("Submission");
export const NewWebhook = NewWebhookSchema.clone().openapi("NewWebhook");
export const Webhook = WebhookSchema.clone().openapi("Webhook");
export const WebhookDelivery = WebhookDeliverySchema.clone().openapi("WebhookDelivery");
