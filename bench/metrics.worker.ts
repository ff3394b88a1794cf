// Runs the metrics benchmark inside workerd (started by bench/metrics.bench.ts through wrangler).
// GET /?task=metrics|optimized|bigint&iterations=N → { ms_per_iteration, checksum }.
import { syntheticMembers, runTask, type Task } from "./metrics.tasks.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const task = (url.searchParams.get("task") ?? "metrics") as Task;
    const iterations = Number(url.searchParams.get("iterations") ?? "1");
    const data = syntheticMembers();
    runTask(task, data); // warm-up: JIT and caches, as in the Node run
    const start = performance.now();
    let checksum = 0;
    for (let i = 0; i < iterations; i++) checksum += runTask(task, data);
    const ms = performance.now() - start;
    return Response.json({ ms_per_iteration: ms / iterations, iterations, checksum });
  },
};
