// Path parameters the routes share (request and response bodies come from @frontier/contracts).
import { z } from "@hono/zod-openapi";

export const JobIdParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
