CREATE TABLE `reconcile_state` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`swept_at` integer NOT NULL,
	`missed_deals` integer DEFAULT 0 NOT NULL,
	`missed_records` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `portals` ADD `vendor_events_secret_sealed` text;