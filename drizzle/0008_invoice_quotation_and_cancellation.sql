ALTER TABLE `deal_invoices` ADD `quotation_id` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `quotation_number` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancel_requested_at` integer;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancellation_kind` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancellation_id` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancellation_number` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `cancelled_count` integer DEFAULT 0 NOT NULL;