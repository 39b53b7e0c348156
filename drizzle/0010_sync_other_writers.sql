CREATE TABLE `sync_other_writers` (
	`portal_id` text NOT NULL,
	`source_id` text NOT NULL,
	`day` integer NOT NULL,
	`changes` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`last_object_type` text NOT NULL,
	`last_object_id` text NOT NULL,
	`last_property_name` text NOT NULL,
	PRIMARY KEY(`portal_id`, `source_id`, `day`)
);
