CREATE TABLE `track_publications` (
	`track` text NOT NULL,
	`evaluation_id` text NOT NULL,
	`team_id` text DEFAULT 'default' NOT NULL,
	`via` text NOT NULL,
	`published_at` text NOT NULL,
	PRIMARY KEY(`track`, `evaluation_id`)
);
--> statement-breakpoint
CREATE INDEX `track_publications_evaluation` ON `track_publications` (`evaluation_id`);--> statement-breakpoint
ALTER TABLE `run_pairs` ADD `publish` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `run_policies` ADD `publish` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- hand-written: a publication changes what public reads show: bump the public-read cache version (0006_public_cache).
CREATE TRIGGER `public_version_track_publications_insert` AFTER INSERT ON `track_publications` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_track_publications_delete` AFTER DELETE ON `track_publications` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written: submissions were always public entries of their track: they stay published.
INSERT OR IGNORE INTO `track_publications` (`track`, `evaluation_id`, `team_id`, `via`, `published_at`)
  SELECT `track`, `evaluation_id`, `team_id`, 'submission', `created_at` FROM `submissions` WHERE `cancelled_at` IS NULL;
