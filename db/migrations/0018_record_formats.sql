CREATE TABLE "record_format_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"format_key" text NOT NULL,
	"code" text NOT NULL,
	"version" text NOT NULL,
	"approved_on" text NOT NULL,
	"changed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "record_format_versions_key_idx" ON "record_format_versions" USING btree ("format_key","id");