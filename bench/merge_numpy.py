"""The baseline for bench/merge.ts: the same merge with numpy memmaps (Debian's python3-numpy).

usage: merge_numpy.py OUT_DIR C0 PARENT_DIR0 C1 PARENT_DIR1 [--fp32]

Same arithmetic as the TypeScript engine: bf16 -> fp32 values, sum of c_i * x_i in fp64, rounded
once to fp32, then to bf16 (round to nearest even, NaN kept quiet). With --fp32 the sum is done in
float32 instead (faster, different bytes). Output shards mirror the first parent's (same headers),
processed in chunks of CHUNK elements. Prints one JSON line: wall seconds, CPU seconds and peak RSS.
"""
import json
import os
import resource
import struct
import sys
import time

import numpy as np

CHUNK = 4 * 1024 * 1024


def read_header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return 8 + n, header


def shard_files(parent):
    index = os.path.join(parent, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            return sorted(set(json.load(f)["weight_map"].values()))
    return ["model.safetensors"]


def to_bf16(acc32):
    bits = acc32.view(np.uint32)
    rounded = ((bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)).astype(np.uint16)
    nan = (bits & np.uint32(0x7FFFFFFF)) > np.uint32(0x7F800000)
    if nan.any():
        rounded[nan] = ((bits[nan] >> np.uint32(16)) | np.uint32(0x40)).astype(np.uint16)
    return rounded


def main():
    out_dir, c0, p0, c1, p1 = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
    fp32 = "--fp32" in sys.argv
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    for name in shard_files(p0):
        start0, header = read_header(os.path.join(p0, name))
        start1, header1 = read_header(os.path.join(p1, name))
        a = np.memmap(os.path.join(p0, name), dtype=np.uint8, mode="r")
        b = np.memmap(os.path.join(p1, name), dtype=np.uint8, mode="r")
        with open(os.path.join(p0, name), "rb") as f:
            raw_header = f.read(start0)
        with open(os.path.join(out_dir, name), "wb") as out:
            out.write(raw_header)
            tensors = sorted((v["data_offsets"][0], k, v) for k, v in header.items() if k != "__metadata__")
            for _, key, info in tensors:
                assert info["dtype"] == "BF16" and header1[key] == info
                begin, end = info["data_offsets"]
                x_all = a[start0 + begin : start0 + end].view(np.uint16)
                y_all = b[start1 + begin : start1 + end].view(np.uint16)
                for s in range(0, x_all.size, CHUNK):
                    x = (x_all[s : s + CHUNK].astype(np.uint32) << np.uint32(16)).view(np.float32)
                    y = (y_all[s : s + CHUNK].astype(np.uint32) << np.uint32(16)).view(np.float32)
                    if fp32:
                        acc = np.float32(c0) * x + np.float32(c1) * y
                    else:
                        acc = (c0 * x.astype(np.float64) + c1 * y.astype(np.float64)).astype(np.float32)
                    out.write(to_bf16(acc).tobytes())
        del a, b
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_bytes": usage.ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
