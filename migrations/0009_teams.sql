CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`actor` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_team` ON `audit_log` (`team_id`,`id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`secret` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `webhook_secrets_team` ON `webhook_secrets` (`team_id`,`created_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_checkpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`run` text NOT NULL,
	`step` integer,
	`url` text NOT NULL,
	`label` text,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`parents` text,
	`metadata` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`revision` text,
	`pinned_at` text,
	`url_public` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
-- hand-written: drizzle-kit copies team_id/url_public, which the old table lacks; the new rows take the defaults (team 'default').
INSERT INTO `__new_checkpoints`("id", "run", "step", "url", "label", "status", "source", "parents", "metadata", "created_at", "updated_at", "revision", "pinned_at") SELECT "id", "run", "step", "url", "label", "status", "source", "parents", "metadata", "created_at", "updated_at", "revision", "pinned_at" FROM `checkpoints`;--> statement-breakpoint
DROP TABLE `checkpoints`;--> statement-breakpoint
ALTER TABLE `__new_checkpoints` RENAME TO `checkpoints`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `checkpoints_run_id` ON `checkpoints` (`run`,`id`);--> statement-breakpoint
CREATE INDEX `checkpoints_team` ON `checkpoints` (`team_id`,`id`);--> statement-breakpoint
CREATE TABLE `__new_run_pairs` (
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
	PRIMARY KEY(`team_id`, `run`, `with_run`)
);
--> statement-breakpoint
INSERT INTO `__new_run_pairs`("run", "with_run", "alphas", "tracks", "team_id", "key_id", "merge_id", "built_at", "ensembles", "created_at", "updated_at") SELECT "run", "with_run", "alphas", "tracks", "team_id", "key_id", "merge_id", "built_at", "ensembles", "created_at", "updated_at" FROM `run_pairs`;--> statement-breakpoint
DROP TABLE `run_pairs`;--> statement-breakpoint
ALTER TABLE `__new_run_pairs` RENAME TO `run_pairs`;--> statement-breakpoint
CREATE INDEX `run_pairs_with` ON `run_pairs` (`team_id`,`with_run`);--> statement-breakpoint
CREATE INDEX `run_pairs_merge` ON `run_pairs` (`merge_id`);--> statement-breakpoint
CREATE TABLE `__new_runs` (
	`team_id` text DEFAULT 'default' NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text,
	PRIMARY KEY(`team_id`, `name`)
);
--> statement-breakpoint
-- hand-written: drizzle-kit copies team_id/url_public, which the old table lacks; the new rows take the defaults (team 'default').
INSERT INTO `__new_runs`("name", "status", "created_at", "updated_at", "finished_at") SELECT "name", "status", "created_at", "updated_at", "finished_at" FROM `runs`;--> statement-breakpoint
DROP TABLE `runs`;--> statement-breakpoint
ALTER TABLE `__new_runs` RENAME TO `runs`;--> statement-breakpoint
CREATE TABLE `__new_webhook_deliveries` (
	`team_id` text DEFAULT 'default' NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`received_at` text NOT NULL,
	`checkpoint_id` text,
	`run` text,
	PRIMARY KEY(`team_id`, `id`)
);
--> statement-breakpoint
-- hand-written: drizzle-kit copies team_id/url_public, which the old table lacks; the new rows take the defaults (team 'default').
INSERT INTO `__new_webhook_deliveries`("id", "type", "received_at", "checkpoint_id", "run") SELECT "id", "type", "received_at", "checkpoint_id", "run" FROM `webhook_deliveries`;--> statement-breakpoint
DROP TABLE `webhook_deliveries`;--> statement-breakpoint
ALTER TABLE `__new_webhook_deliveries` RENAME TO `webhook_deliveries`;--> statement-breakpoint
CREATE TABLE `__new_run_policies` (
	`team_id` text DEFAULT 'default' NOT NULL,
	`run` text NOT NULL,
	`tracks` text NOT NULL,
	`every_steps` integer NOT NULL,
	`key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`team_id`, `run`)
);
--> statement-breakpoint
-- hand-written: drizzle-kit copies team_id/url_public, which the old table lacks; the new rows take the defaults (team 'default').
INSERT INTO `__new_run_policies`("run", "tracks", "every_steps", "key_id", "created_at", "updated_at") SELECT "run", "tracks", "every_steps", "key_id", "created_at", "updated_at" FROM `run_policies`;--> statement-breakpoint
DROP TABLE `run_policies`;--> statement-breakpoint
ALTER TABLE `__new_run_policies` RENAME TO `run_policies`;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `ensembles` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `evaluation_metrics` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `merges` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `submissions` ADD `team_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `tracks` ADD `team_id` text;--> statement-breakpoint
-- hand-written: the checkpoints table was rebuilt above, which drops its triggers; the public-read version (0006_public_cache) needs them back.
CREATE TRIGGER `public_version_checkpoints_insert` AFTER INSERT ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
CREATE TRIGGER `public_version_checkpoints_update` AFTER UPDATE ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
CREATE TRIGGER `public_version_checkpoints_delete` AFTER DELETE ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written: every row from before teams belongs to the default team (the columns' default); the team itself:
INSERT OR IGNORE INTO `teams` (`id`, `name`, `created_at`) VALUES ('default', 'Default team', '2026-01-01T00:00:00.000Z');
