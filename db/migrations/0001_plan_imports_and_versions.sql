CREATE TABLE "goal_revisions" (
	"goal_code" text NOT NULL,
	"plan_import_id" integer NOT NULL,
	"attributes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_revisions_goal_code_plan_import_id_pk" PRIMARY KEY("goal_code","plan_import_id")
);
--> statement-breakpoint
CREATE TABLE "plan_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"imported_by" text NOT NULL,
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"municipality" text NOT NULL,
	"dane_code" text NOT NULL,
	"term_start_year" integer NOT NULL,
	"term_end_year" integer NOT NULL,
	"thresholds" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goal_programming" ADD COLUMN "plan_import_id" integer;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD COLUMN "plan_import_id" integer;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "sector" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "program_code" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "product_code" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "product_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "indicator_code" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "reprogrammings" ADD COLUMN "decision_round" integer;--> statement-breakpoint
ALTER TABLE "reprogrammings" ADD COLUMN "alters_term_target" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "reprogrammings" ADD COLUMN "council_agreement" text;--> statement-breakpoint
ALTER TABLE "goal_revisions" ADD CONSTRAINT "goal_revisions_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_imports_file" ON "plan_imports" USING btree ("kind","sha256");