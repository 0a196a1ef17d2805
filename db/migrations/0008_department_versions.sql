CREATE TABLE "department_versions" (
	"department_code" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"head_name" text,
	"head_title" text,
	"head_email" text,
	"liaison_name" text,
	"liaison_email" text,
	"changed_by" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "department_versions_department_code_version_pk" PRIMARY KEY("department_code","version")
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "department_version" integer;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "head_name" text;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "head_title" text;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "head_email" text;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "department_versions" ADD CONSTRAINT "department_versions_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "public"."departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: every department registered before versions existed becomes its version 1.
INSERT INTO "department_versions" ("department_code", "version", "name", "liaison_name", "liaison_email", "changed_by", "reason", "created_at")
SELECT "code", 1, "name", "liaison_name", "liaison_email", 'sistema', 'Registrada antes del historial de versiones', "created_at" FROM "departments";
