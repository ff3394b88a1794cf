ALTER TABLE `evaluations` ADD `setting` text DEFAULT 'reasoning' NOT NULL;--> statement-breakpoint
ALTER TABLE `samples` ADD `trajectory` text;