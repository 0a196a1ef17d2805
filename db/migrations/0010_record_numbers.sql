CREATE TABLE "record_numbers" (
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "record_numbers_series_year_pk" PRIMARY KEY("series","year")
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "record_number" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "record_number" text;