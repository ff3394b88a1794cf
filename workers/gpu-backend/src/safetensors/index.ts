// The safetensors library: read (file://, https://, hf://, s3://), write, sharded checkpoints.
export { DTYPE_BYTES, isDType, isMergeableFloat, type DType, type MergeableFloat } from "./dtype.ts";
export { SafetensorsError, type SafetensorsErrorCode } from "./errors.ts";
export { MAX_HEADER_BYTES, elementCount, encodeHeader, parseHeader, type SafetensorsHeader, type TensorInfo, type TensorLayout } from "./header.ts";
export { SafetensorsFile } from "./reader.ts";
export { SafetensorsWriter, writeSafetensors, type TensorInput, type WrittenFile } from "./writer.ts";
export { Checkpoint, INDEX_FILE, SINGLE_FILE, encodeIndex, writeIndex, type CheckpointTensor, type ShardedIndex } from "./checkpoint.ts";
export { resolveLocation, resolverConfigFromEnv, openSource, toFileUrl, type ByteSource, type ResolverConfig } from "./source.ts";
export { bf16BitsToFloat32, decodeToFloat32, encodeFromFloat32, f16BitsToFloat32, float32ToBf16Bits, float32ToF16Bits } from "./convert.ts";
