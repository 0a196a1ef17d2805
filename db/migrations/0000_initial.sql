CREATE TABLE "alerts" (
	"review_workflow_id" text PRIMARY KEY NOT NULL,
	"department_code" text NOT NULL,
	"recipient" text,
	"goals" jsonb NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cycles" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"fiscal_year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"response_window" text NOT NULL,
	"started_by" text NOT NULL,
	"status" text NOT NULL,
	"summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dashboard_snapshots" (
	"cycle_workflow_id" text PRIMARY KEY NOT NULL,
	"fiscal_year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"goals" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"cumulative_lagging" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"round" integer NOT NULL,
	"decision" text NOT NULL,
	"coordinator" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "department_reviews" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"cycle_workflow_id" text NOT NULL,
	"department_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"status" text NOT NULL,
	"deadline" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"liaison_name" text,
	"liaison_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_programming" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"goal_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"version" integer NOT NULL,
	"annual_target" double precision,
	"quarterly_targets" jsonb,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"reprogramming_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"goal_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"version" integer NOT NULL,
	"executed" double precision NOT NULL,
	"evidence" text,
	"reported_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_review_states" (
	"review_workflow_id" text NOT NULL,
	"goal_code" text NOT NULL,
	"sequence" integer NOT NULL,
	"state" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"event" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_review_states_review_workflow_id_goal_code_sequence_pk" PRIMARY KEY("review_workflow_id","goal_code","sequence")
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"code" text PRIMARY KEY NOT NULL,
	"department_code" text NOT NULL,
	"strategic_line" text NOT NULL,
	"program" text NOT NULL,
	"name" text NOT NULL,
	"indicator" text NOT NULL,
	"unit" text NOT NULL,
	"term_target" double precision NOT NULL,
	"accumulation" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"kind" text NOT NULL,
	"department_code" text NOT NULL,
	"goal_codes" jsonb NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reprogrammings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"goal_code" text NOT NULL,
	"fiscal_year" integer NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"justification" text NOT NULL,
	"commitment" text NOT NULL,
	"approved_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_workflow_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted" boolean,
	"rejection_reason" text
);
--> statement-breakpoint
ALTER TABLE "department_reviews" ADD CONSTRAINT "department_reviews_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_programming" ADD CONSTRAINT "goal_programming_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_review_states" ADD CONSTRAINT "goal_review_states_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reprogrammings" ADD CONSTRAINT "reprogrammings_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_idempotency" ON "audit_log" USING btree ("idempotency_key") WHERE "audit_log"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_round" ON "decisions" USING btree ("review_workflow_id","round");--> statement-breakpoint
CREATE UNIQUE INDEX "goal_programming_version" ON "goal_programming" USING btree ("goal_code","fiscal_year","version");--> statement-breakpoint
CREATE UNIQUE INDEX "goal_progress_version" ON "goal_progress" USING btree ("goal_code","fiscal_year","quarter","version");--> statement-breakpoint
CREATE UNIQUE INDEX "records_kind" ON "records" USING btree ("review_workflow_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "reprogrammings_goal" ON "reprogrammings" USING btree ("review_workflow_id","goal_code");