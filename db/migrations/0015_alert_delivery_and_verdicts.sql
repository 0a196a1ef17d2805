CREATE TABLE "alert_deliveries" (
	"review_workflow_id" text PRIMARY KEY NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"outbox_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_verdicts" (
	"response_id" integer PRIMARY KEY NOT NULL,
	"accepted" boolean NOT NULL,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "committed_at" timestamp with time zone;