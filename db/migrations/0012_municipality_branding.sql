CREATE TABLE "municipality_colors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"primary_color" text NOT NULL,
	"accent_color" text NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "municipality_escudos" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"media_type" text,
	"content" "bytea",
	"byte_length" integer DEFAULT 0 NOT NULL,
	"sha256" text,
	"file_name" text,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
