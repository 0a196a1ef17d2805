-- Hand-written: the record tables added with the signing certificate, the Acuerdos del Concejo, the record formats and the Plan de Acción's financing take new rows only, like the others (0016_append_only_records.sql).
SELECT append_only(t::regclass) FROM unnest(ARRAY['signing_certificates', 'council_agreements', 'goal_term_targets', 'record_format_versions', 'goal_financing']) AS t;
