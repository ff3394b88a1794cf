CREATE TABLE `backend_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`job_id` text,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `benchmark_problems` (
	`benchmark` text NOT NULL,
	`version` text NOT NULL,
	`problem_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`statement` text NOT NULL,
	`starter_code` text,
	`function_name` text,
	`time_ms` integer NOT NULL,
	`memory_mb` integer NOT NULL,
	`tiers` text NOT NULL,
	PRIMARY KEY(`benchmark`, `version`, `problem_id`)
);
--> statement-breakpoint
CREATE TABLE `benchmarks` (
	`name` text NOT NULL,
	`version` text NOT NULL,
	`pack` text NOT NULL,
	`description` text,
	`problem_count` integer NOT NULL,
	`tiers` text NOT NULL,
	`registered_at` text NOT NULL,
	PRIMARY KEY(`name`, `version`)
);
--> statement-breakpoint
CREATE INDEX `benchmarks_name_registered` ON `benchmarks` (`name`,`registered_at`);--> statement-breakpoint
CREATE TABLE `ensembles` (
	`id` text PRIMARY KEY NOT NULL,
	`members` text NOT NULL,
	`budget` integer NOT NULL,
	`allocation` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `evaluation_metrics` (
	`evaluation_id` text PRIMARY KEY NOT NULL,
	`checkpoint_id` text NOT NULL,
	`run` text NOT NULL,
	`benchmark` text NOT NULL,
	`benchmark_version` text NOT NULL,
	`pass_at_1` real,
	`pass_at_k` text NOT NULL,
	`se` text NOT NULL,
	`breakdown` text NOT NULL,
	`per_problem` text NOT NULL,
	`samples` integer NOT NULL,
	`computed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `evaluation_metrics_benchmark` ON `evaluation_metrics` (`benchmark`,`benchmark_version`);--> statement-breakpoint
CREATE INDEX `evaluation_metrics_run` ON `evaluation_metrics` (`run`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`id` text PRIMARY KEY NOT NULL,
	`checkpoint_id` text NOT NULL,
	`benchmark` text NOT NULL,
	`benchmark_version` text NOT NULL,
	`language` text NOT NULL,
	`params` text NOT NULL,
	`problems` text NOT NULL,
	`requested` integer NOT NULL,
	`status` text NOT NULL,
	`sample_job_id` text,
	`sampling_mode` text,
	`sample_cursor` integer DEFAULT 0 NOT NULL,
	`errors` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `evaluations_checkpoint` ON `evaluations` (`checkpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `evaluations_job` ON `evaluations` (`sample_job_id`);--> statement-breakpoint
CREATE TABLE `merge_outputs` (
	`merge_id` text NOT NULL,
	`position` integer NOT NULL,
	`checkpoint_id` text NOT NULL,
	`alpha` real,
	`status` text NOT NULL,
	`backend_job_id` text,
	`output_url` text,
	`error` text,
	`evaluation_id` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`merge_id`, `position`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `merge_outputs_checkpoint_id_unique` ON `merge_outputs` (`checkpoint_id`);--> statement-breakpoint
CREATE INDEX `merge_outputs_job` ON `merge_outputs` (`backend_job_id`);--> statement-breakpoint
CREATE TABLE `merges` (
	`id` text PRIMARY KEY NOT NULL,
	`request` text NOT NULL,
	`run` text NOT NULL,
	`evaluate` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `samples` (
	`evaluation_id` text NOT NULL,
	`problem_id` text NOT NULL,
	`idx` integer NOT NULL,
	`text` text NOT NULL,
	`finish_reason` text,
	`tokens` integer,
	`language` text,
	`code` text,
	`verdict_key` text,
	`verdict` text,
	`tiers_passed` integer,
	`time_ms` integer,
	`memory_kb` integer,
	`failure` text,
	`source` text,
	`dispatched_at` text,
	`received_at` text NOT NULL,
	`judged_at` text,
	PRIMARY KEY(`evaluation_id`, `problem_id`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `samples_pending` ON `samples` (`evaluation_id`,`verdict`);--> statement-breakpoint
CREATE INDEX `samples_key` ON `samples` (`verdict_key`);--> statement-breakpoint
CREATE TABLE `verdict_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`benchmark_version` text NOT NULL,
	`problem_id` text NOT NULL,
	`verdict` text NOT NULL,
	`tiers_passed` integer NOT NULL,
	`time_ms` integer NOT NULL,
	`memory_kb` integer NOT NULL,
	`failure` text,
	`created_at` text NOT NULL
);
