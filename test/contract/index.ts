// The runtime-independent HTTP contract of the edge API. A runtime's test file builds a
// ContractHarness and calls registerContractSuite(harness) at the top level of a vitest file.
import { accessContract } from "./access.ts";
import { benchmarksContract } from "./benchmarks.ts";
import { checkpointsContract } from "./checkpoints.ts";
import { ensemblesContract } from "./ensembles.ts";
import { errorsContract } from "./errors.ts";
import { evaluationsContract } from "./evaluations.ts";
import type { ContractHarness } from "./harness.ts";
import { leaderboardContract } from "./leaderboard.ts";
import { mergesContract } from "./merges.ts";
import { outboundContract } from "./outbound.ts";
import { runPoliciesContract } from "./run-policies.ts";
import { serviceContract } from "./service.ts";
import { tracksContract } from "./tracks.ts";
import { urlsContract } from "./urls.ts";
import { webhooksContract } from "./webhooks.ts";

export type { ContractHarness } from "./harness.ts";

export function registerContractSuite(harness: ContractHarness): void {
  serviceContract(harness);
  checkpointsContract(harness);
  urlsContract(harness);
  webhooksContract(harness);
  errorsContract(harness);
  // pipeline and leaderboard: what the API alone can create, without waiting for the queue
  benchmarksContract(harness);
  evaluationsContract(harness);
  mergesContract(harness);
  ensemblesContract(harness);
  leaderboardContract(harness);
  tracksContract(harness);
  runPoliciesContract(harness);
  outboundContract(harness);
  // teams: every route × caller
  accessContract(harness);
}
