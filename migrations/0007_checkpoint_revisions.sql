ALTER TABLE `checkpoints` ADD `revision` text;--> statement-breakpoint
ALTER TABLE `checkpoints` ADD `pinned_at` text;--> statement-breakpoint
ALTER TABLE `merge_outputs` ADD `deleted_at` text;