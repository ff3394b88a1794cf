// RFC 9457 problem documents: every error any Frontier service answers has this shape.
import { z } from "zod";

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProblemDocumentSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .passthrough();
export type ProblemDocument = z.infer<typeof ProblemDocumentSchema>;
