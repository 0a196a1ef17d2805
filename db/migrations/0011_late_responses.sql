CREATE TABLE "late_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"cycle_workflow_id" text NOT NULL,
	"department_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"round" integer NOT NULL,
	"deadline" timestamp with time zone,
	"respondent_name" text NOT NULL,
	"answers" jsonb NOT NULL,
	"raw_form" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "late_responses_review" ON "late_responses" USING btree ("review_workflow_id");--> statement-breakpoint
CREATE INDEX "late_responses_department" ON "late_responses" USING btree ("department_code");