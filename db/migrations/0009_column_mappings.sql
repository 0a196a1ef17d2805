CREATE TABLE "column_mappings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"headers_signature" text NOT NULL,
	"headers" jsonb NOT NULL,
	"entries" jsonb NOT NULL,
	"saved_by" text NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "municipality_identity" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"dane_code" text NOT NULL,
	"source" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_uploads" ADD COLUMN "column_map" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "column_mappings_headers" ON "column_mappings" USING btree ("kind","headers_signature");