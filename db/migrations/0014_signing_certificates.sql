CREATE TABLE "signing_certificates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"content" "bytea",
	"sealed_passphrase" text,
	"file_name" text,
	"subject" text,
	"issuer" text,
	"serial_number" text,
	"not_before" timestamp with time zone,
	"not_after" timestamp with time zone,
	"fingerprint_sha256" text,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
