// Every resource mounts its routes here: one file per resource, one line each.
import type { App } from "../app.ts";
import type { Ports } from "../ports.ts";
import { mountCheckpoints } from "./checkpoints.ts";
import { mountDocs } from "./docs.ts";
import { mountHealth } from "./health.ts";
import { mountTrainingRunHooks } from "./hooks.ts";
import { mountKeys } from "./keys.ts";

export type MountRoutes = (app: App, ports: Ports) => void;

export const routes: MountRoutes[] = [mountHealth, mountCheckpoints, mountTrainingRunHooks, mountKeys, mountDocs];
