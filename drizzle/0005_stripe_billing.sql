CREATE TABLE `billing_customers` (
	`portal_id` text PRIMARY KEY NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`portal_id`) REFERENCES `portals`(`portal_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_customers_stripe_customer_id_unique` ON `billing_customers` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `billing_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`portal_id` text,
	`stripe_subscription_id` text,
	`created_at` integer NOT NULL,
	`job_id` integer,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_events_subscription` ON `billing_events` (`stripe_subscription_id`);--> statement-breakpoint
ALTER TABLE `package_subscriptions` ADD `stripe_subscription_id` text;--> statement-breakpoint
ALTER TABLE `package_subscriptions` ADD `billing_status` text;--> statement-breakpoint
ALTER TABLE `package_subscriptions` ADD `period_ends_at` integer;--> statement-breakpoint
ALTER TABLE `package_subscriptions` ADD `cancel_at_period_end` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `package_subscriptions` ADD `past_due_since` integer;