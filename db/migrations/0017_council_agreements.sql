CREATE TABLE "council_agreements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"agreement_date" date NOT NULL,
	"document_id" integer NOT NULL,
	"registered_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_term_targets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"goal_code" text NOT NULL,
	"version" integer NOT NULL,
	"term_target" double precision NOT NULL,
	"previous_term_target" double precision NOT NULL,
	"council_agreement_id" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reprogrammings" ADD COLUMN "council_agreement_id" integer;--> statement-breakpoint
ALTER TABLE "council_agreements" ADD CONSTRAINT "council_agreements_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_term_targets" ADD CONSTRAINT "goal_term_targets_goal_code_goals_code_fk" FOREIGN KEY ("goal_code") REFERENCES "public"."goals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_term_targets" ADD CONSTRAINT "goal_term_targets_council_agreement_id_council_agreements_id_fk" FOREIGN KEY ("council_agreement_id") REFERENCES "public"."council_agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "council_agreements_number_date" ON "council_agreements" USING btree ("number","agreement_date");--> statement-breakpoint
CREATE UNIQUE INDEX "goal_term_targets_version" ON "goal_term_targets" USING btree ("goal_code","version");--> statement-breakpoint
CREATE UNIQUE INDEX "goal_term_targets_agreement" ON "goal_term_targets" USING btree ("council_agreement_id","goal_code");