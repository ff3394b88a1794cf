export { CHECKPOINT_SCHEMES, checkCheckpointUrl, type CheckpointScheme, type UrlCheck, type UrlPolicy } from "./checkpoint-url.ts";
export { classifyAddress, parseAllowList, isAllowed, type AllowList, type AddressClass } from "./addresses.ts";
