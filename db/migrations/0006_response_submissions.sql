ALTER TABLE "responses" ALTER COLUMN "payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "raw_base64" text;