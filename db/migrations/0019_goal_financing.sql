CREATE TABLE "goal_financing" (
	"plan_import_id" integer NOT NULL,
	"goal_code" text NOT NULL,
	"bpin" text,
	"project_code" text,
	"project_name" text,
	"resources" jsonb NOT NULL,
	"action_plan" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_financing_plan_import_id_goal_code_pk" PRIMARY KEY("plan_import_id","goal_code")
);
--> statement-breakpoint
ALTER TABLE "goal_financing" ADD CONSTRAINT "goal_financing_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;