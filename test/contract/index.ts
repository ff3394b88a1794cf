// The runtime-independent HTTP contract of the edge API. A runtime's test file builds a
// ContractHarness and calls registerContractSuite(harness) at the top level of a vitest file.
import { checkpointsContract } from "./checkpoints.ts";
import { errorsContract } from "./errors.ts";
import type { ContractHarness } from "./harness.ts";
import { serviceContract } from "./service.ts";
import { urlsContract } from "./urls.ts";
import { webhooksContract } from "./webhooks.ts";

export type { ContractHarness } from "./harness.ts";

export function registerContractSuite(harness: ContractHarness): void {
  serviceContract(harness);
  checkpointsContract(harness);
  urlsContract(harness);
  webhooksContract(harness);
  errorsContract(harness);
}
