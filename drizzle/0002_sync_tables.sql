CREATE TABLE `sync_conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`portal_id` text NOT NULL,
	`kind` text NOT NULL,
	`object_type` text NOT NULL,
	`hubspot_id` text NOT NULL,
	`name` text NOT NULL,
	`candidates` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_conflicts_object` ON `sync_conflicts` (`portal_id`,`kind`,`object_type`,`hubspot_id`);--> statement-breakpoint
CREATE INDEX `sync_conflicts_open` ON `sync_conflicts` (`portal_id`,`state`);--> statement-breakpoint
CREATE TABLE `sync_link_fields` (
	`portal_id` text NOT NULL,
	`object_type` text NOT NULL,
	`hubspot_id` text NOT NULL,
	`hubspot_fields` text NOT NULL,
	`vendor_fields` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `object_type`, `hubspot_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_portal_state` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`cursor_ms` integer,
	`last_poll_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`portal_id` text NOT NULL,
	`state` text NOT NULL,
	`report` text NOT NULL,
	`total` integer NOT NULL,
	`done` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_deletions` (
	`portal_id` text NOT NULL,
	`side` text NOT NULL,
	`object_type` text NOT NULL,
	`hubspot_id` text NOT NULL,
	`vendor_id` text NOT NULL,
	`state` text NOT NULL,
	`detected_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `object_type`, `hubspot_id`)
);
