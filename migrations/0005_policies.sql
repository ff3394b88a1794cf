CREATE TABLE `run_policies` (
	`run` text PRIMARY KEY NOT NULL,
	`tracks` text NOT NULL,
	`every_steps` integer NOT NULL,
	`key_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_policy_evaluations` (
	`checkpoint_id` text NOT NULL,
	`track` text NOT NULL,
	`run` text NOT NULL,
	`step` integer NOT NULL,
	`evaluation_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`checkpoint_id`, `track`)
);
--> statement-breakpoint
CREATE INDEX `run_policy_evaluations_run` ON `run_policy_evaluations` (`run`,`step`);