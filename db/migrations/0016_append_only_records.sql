-- Hand-written: every department's current state is a stored version (the demo loaders inserted none).
INSERT INTO department_versions (department_code, version, name, head_name, head_title, head_email, liaison_name, liaison_email, changed_by, reason, created_at)
SELECT d.code, d.version, d.name, d.head_name, d.head_title, d.head_email, d.liaison_name, d.liaison_email, 'sistema', 'Registrada antes del historial de versiones', d.created_at
FROM departments d WHERE NOT EXISTS (SELECT 1 FROM department_versions v WHERE v.department_code = d.code AND v.version = d.version);
--> statement-breakpoint
-- Hand-written: record tables take new rows only. append_only(table) installs the guard; a table added later calls it too.
CREATE OR REPLACE FUNCTION refuse_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'La tabla % guarda registros: no admite %; registre una nueva fila o versión', TG_TABLE_NAME, TG_OP USING ERRCODE = '55000';
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION append_only(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION refuse_record_change()', tbl);
END $$;
--> statement-breakpoint
SELECT append_only(t::regclass) FROM unnest(ARRAY['alerts', 'alert_deliveries', 'responses', 'response_verdicts', 'decisions', 'reprogrammings', 'goal_programming', 'goal_progress', 'records', 'documents', 'audit_log', 'late_responses', 'department_versions', 'goal_review_states', 'dashboard_snapshots']) AS t;
