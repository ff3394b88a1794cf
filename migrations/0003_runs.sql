CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`key_id` text NOT NULL,
	`url` text NOT NULL,
	`track` text NOT NULL,
	`label` text,
	`checkpoint_id` text NOT NULL,
	`evaluation_id` text NOT NULL,
	`samples` integer NOT NULL,
	`cancelled_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `submissions_key` ON `submissions` (`key_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `submissions_track_url` ON `submissions` (`track`,`url`);--> statement-breakpoint
CREATE INDEX `submissions_created` ON `submissions` (`created_at`);--> statement-breakpoint
CREATE TABLE `tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`benchmark` text NOT NULL,
	`benchmark_version` text NOT NULL,
	`setting` text NOT NULL,
	`language` text NOT NULL,
	`n` integer NOT NULL,
	`temperature` real NOT NULL,
	`top_p` real NOT NULL,
	`max_tokens` integer NOT NULL,
	`seed` integer NOT NULL,
	`split` text,
	`problems` text NOT NULL,
	`description` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tracks_benchmark` ON `tracks` (`benchmark`,`benchmark_version`,`created_at`);