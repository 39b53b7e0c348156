CREATE TABLE `workflow_executions` (
	`portal_id` text NOT NULL,
	`callback_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`document_type` text NOT NULL,
	`received_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`completed_at` integer,
	`execution_state` text,
	PRIMARY KEY(`portal_id`, `callback_id`)
);
--> statement-breakpoint
CREATE INDEX `workflow_executions_portal_deal` ON `workflow_executions` (`portal_id`,`deal_id`);--> statement-breakpoint
CREATE TABLE `deal_timeline_notes` (
	`portal_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`document_id` text NOT NULL,
	`event` text NOT NULL,
	`state` text NOT NULL,
	`note_id` text,
	`claimed_at` integer NOT NULL,
	`written_at` integer,
	PRIMARY KEY(`portal_id`, `deal_id`, `document_id`, `event`)
);
