CREATE TABLE `accounting_connections` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`credentials_sealed` text NOT NULL,
	`account_name` text,
	`connected_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`portal_id`) REFERENCES `portals`(`portal_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `hubspot_tokens` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`access_token_sealed` text NOT NULL,
	`refresh_token_sealed` text NOT NULL,
	`expires_at` integer NOT NULL,
	`scopes` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`portal_id`) REFERENCES `portals`(`portal_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`portal_id` text DEFAULT '' NOT NULL,
	`payload` text NOT NULL,
	`dedupe_key` text,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`run_at` integer NOT NULL,
	`lease_until` integer,
	`locked_by` text,
	`rerun_requested` integer DEFAULT false NOT NULL,
	`steps` text DEFAULT '{}' NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_live_dedupe_key` ON `jobs` (`dedupe_key`) WHERE "jobs"."state" in ('queued', 'running', 'retrying') and "jobs"."dedupe_key" is not null;--> statement-breakpoint
CREATE INDEX `jobs_runnable` ON `jobs` (`state`,`run_at`);--> statement-breakpoint
CREATE INDEX `jobs_portal_state` ON `jobs` (`portal_id`,`state`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `portals` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`hub_domain` text,
	`status` text DEFAULT 'active' NOT NULL,
	`installed_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`portal_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`event_id` text NOT NULL,
	`subscription_type` text NOT NULL,
	`object_id` text,
	`occurred_at` integer NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`ignored_reason` text,
	`job_id` integer,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_dedupe_key` ON `webhook_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `webhook_events_portal_received` ON `webhook_events` (`portal_id`,`received_at`);