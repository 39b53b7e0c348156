CREATE TABLE `rate_limit_slots` (
	`key` text PRIMARY KEY NOT NULL,
	`next_slot` integer NOT NULL,
	`blocked_until` integer DEFAULT 0 NOT NULL
);
