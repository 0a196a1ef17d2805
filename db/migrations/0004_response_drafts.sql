CREATE TABLE "response_drafts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"round" integer NOT NULL,
	"fields" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
