ALTER TABLE `checkpoints` ADD `revision` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `pinned_at` text;