CREATE TABLE `public_versions` (
	`scope` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- hand-written: the public-read cache version (src/http/public-cache.ts). One row, bumped by triggers on every
-- hand-written: table a public read shows, so every writer (services, queue consumers, operators' SQL) invalidates it.
-- hand-written: it starts at a random number, so two databases behind one shared cache (a recreated local state, test files) never share keys.
INSERT INTO `public_versions` (`scope`, `version`) VALUES ('public', abs(random() % 1000000000000));
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_tracks_insert` AFTER INSERT ON `tracks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_tracks_update` AFTER UPDATE ON `tracks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_tracks_delete` AFTER DELETE ON `tracks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_benchmarks_insert` AFTER INSERT ON `benchmarks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_benchmarks_update` AFTER UPDATE ON `benchmarks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_benchmarks_delete` AFTER DELETE ON `benchmarks` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_checkpoints_insert` AFTER INSERT ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_checkpoints_update` AFTER UPDATE ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_checkpoints_delete` AFTER DELETE ON `checkpoints` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluation_metrics_insert` AFTER INSERT ON `evaluation_metrics` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluation_metrics_update` AFTER UPDATE ON `evaluation_metrics` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluation_metrics_delete` AFTER DELETE ON `evaluation_metrics` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_ensembles_insert` AFTER INSERT ON `ensembles` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_ensembles_update` AFTER UPDATE ON `ensembles` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_ensembles_delete` AFTER DELETE ON `ensembles` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluations_insert` AFTER INSERT ON `evaluations` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluations_status` AFTER UPDATE OF `status` ON `evaluations` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
--> statement-breakpoint
-- hand-written:
CREATE TRIGGER `public_version_evaluations_delete` AFTER DELETE ON `evaluations` BEGIN UPDATE `public_versions` SET `version` = `version` + 1 WHERE `scope` = 'public'; END;
