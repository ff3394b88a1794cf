// The merge engine as a library (what `frontier merge` runs in-process); the HTTP server is server.ts.
export { mergeCheckpoints, MergeError, type MergeParent, type OutputDtype } from "./merge/engine.ts";
export { SafetensorsError } from "./safetensors/errors.ts";
