ALTER TABLE `deal_invoices` ADD `predicted_net` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `predicted_tax` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `predicted_gross` text;--> statement-breakpoint
ALTER TABLE `deal_invoices` ADD `default_tax_rate_lines` text;