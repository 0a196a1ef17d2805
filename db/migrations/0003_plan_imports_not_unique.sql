DROP INDEX "plan_imports_file";--> statement-breakpoint
CREATE INDEX "plan_imports_file" ON "plan_imports" USING btree ("kind","sha256");