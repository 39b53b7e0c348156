CREATE TABLE `customer_links` (
	`portal_id` text NOT NULL,
	`object_type` text NOT NULL,
	`hubspot_id` text NOT NULL,
	`provider` text NOT NULL,
	`vendor_id` text NOT NULL,
	`vendor_version` integer,
	`hubspot_hash` text,
	`vendor_hash` text,
	`last_synced_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `object_type`, `hubspot_id`)
);
--> statement-breakpoint
CREATE INDEX `customer_links_vendor` ON `customer_links` (`portal_id`,`provider`,`vendor_id`);--> statement-breakpoint
CREATE TABLE `deal_invoices` (
	`portal_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`status` text NOT NULL,
	`reason_code` text,
	`reason_detail` text,
	`retryable` integer,
	`provider` text,
	`kind` text,
	`reference` text NOT NULL,
	`customer_id` text,
	`document_id` text,
	`document_number` text,
	`document_date` text,
	`document_url` text,
	`currency` text,
	`total_net` text,
	`total_tax` text,
	`total_gross` text,
	`finalized_at` integer,
	`email_sent_at` integer,
	`email_attempted_at` integer,
	`paid_date` text,
	`written_back_at` integer,
	`history` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `deal_id`)
);
--> statement-breakpoint
CREATE TABLE `package_subscriptions` (
	`portal_id` text NOT NULL,
	`package_id` text NOT NULL,
	`trial_started_at` integer NOT NULL,
	`trial_ends_at` integer NOT NULL,
	`booked_at` integer,
	`cancelled_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`portal_id`, `package_id`),
	FOREIGN KEY (`portal_id`) REFERENCES `portals`(`portal_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `portal_settings` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`invoice` text NOT NULL,
	`sync` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`portal_id`) REFERENCES `portals`(`portal_id`) ON UPDATE no action ON DELETE cascade
);
