CREATE TABLE `run_pairs` (
	`run` text NOT NULL,
	`with_run` text NOT NULL,
	`alphas` text NOT NULL,
	`tracks` text NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`key_id` text NOT NULL,
	`merge_id` text,
	`built_at` text,
	`ensembles` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`run`, `with_run`)
);
--> statement-breakpoint
CREATE INDEX `run_pairs_with` ON `run_pairs` (`with_run`);--> statement-breakpoint
CREATE INDEX `run_pairs_merge` ON `run_pairs` (`merge_id`);--> statement-breakpoint
CREATE TABLE `outbound_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`log` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`delivered_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_deliveries_event` ON `outbound_deliveries` (`endpoint_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `outbound_deliveries_endpoint` ON `outbound_deliveries` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`key_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_team` ON `webhook_endpoints` (`team_id`,`created_at`);