CREATE TABLE `sync_kept_records` (
	`portal_id` text NOT NULL,
	`provider` text NOT NULL,
	`vendor_id` text NOT NULL,
	`object_type` text NOT NULL,
	`hubspot_id` text NOT NULL,
	`name` text NOT NULL,
	`kept_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `provider`, `vendor_id`)
);
