/**
 * PostgreSQL schema migrations: the same logical schema as the SQLite adapter of
 * `@samhandling/messaging` (same tables, columns, keys and triggers). Times are epoch milliseconds
 * (BIGINT), JSON is JSONB, bytes are BYTEA, ids are identity columns. Append-only tables refuse
 * UPDATE, DELETE and TRUNCATE with triggers; the audit log allows DELETE only below the cut-off
 * written to `audit_purge_gate` by the purge transaction itself (invisible to other transactions).
 */
import type { SqlMigration } from '@samhandling/messaging';

const INIT = `
CREATE TABLE outgoing (
  msg_id TEXT PRIMARY KEY,
  msg_type TEXT NOT NULL,
  sender_her_id TEXT NOT NULL,
  receiver_her_id TEXT NOT NULL,
  conversation_ref TEXT,
  patient_ref TEXT,
  payload BYTEA NOT NULL,
  transport_meta JSONB,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'acknowledged', 'failed', 'dead-letter')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  next_attempt_at BIGINT,
  lease_token TEXT,
  lease_until BIGINT,
  transport_message_id TEXT,
  sent_at BIGINT,
  acknowledged_at BIGINT,
  last_error TEXT,
  dead_letter_reason TEXT
);
CREATE INDEX outgoing_due ON outgoing (next_attempt_at) WHERE state IN ('queued', 'failed', 'sent');
CREATE INDEX outgoing_lease ON outgoing (lease_until) WHERE state = 'sending';
CREATE INDEX outgoing_state ON outgoing (state, created_at);

CREATE TABLE incoming (
  incoming_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transport_message_id TEXT NOT NULL UNIQUE,
  payload BYTEA NOT NULL,
  received_at BIGINT NOT NULL,
  transport_meta JSONB,
  state TEXT NOT NULL CHECK (state IN ('received', 'processing', 'delivered', 'rejected', 'quarantined', 'duplicate', 'receipt', 'discarded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  lease_token TEXT,
  lease_until BIGINT,
  last_error TEXT,
  msg_id TEXT,
  sender_her_id TEXT,
  receiver_her_id TEXT,
  msg_type TEXT,
  conversation_ref TEXT,
  patient_ref TEXT,
  reason TEXT,
  details JSONB,
  duplicate_of BIGINT REFERENCES incoming (incoming_id),
  completed_at BIGINT
);
CREATE INDEX incoming_due ON incoming (next_attempt_at) WHERE state = 'received';
CREATE INDEX incoming_lease ON incoming (lease_until) WHERE state = 'processing';
CREATE INDEX incoming_state ON incoming (state, incoming_id);

CREATE TABLE received_messages (
  sender_her_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  incoming_id BIGINT NOT NULL REFERENCES incoming (incoming_id),
  state TEXT NOT NULL,
  msg_type TEXT,
  content_hash TEXT,
  apprec_msg_id TEXT,
  apprec_xml BYTEA,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (sender_her_id, msg_id)
);

CREATE TABLE inbox (
  inbox_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incoming_id BIGINT REFERENCES incoming (incoming_id),
  sender_her_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  msg_type TEXT NOT NULL,
  conversation_ref TEXT,
  patient_ref TEXT,
  payload BYTEA NOT NULL,
  content_type TEXT NOT NULL,
  delivered_at BIGINT NOT NULL,
  acked_at BIGINT,
  acked_by TEXT,
  UNIQUE (sender_her_id, msg_id)
);
CREATE INDEX inbox_pending ON inbox (inbox_id) WHERE acked_at IS NULL;

CREATE TABLE quarantine (
  quarantine_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incoming_id BIGINT NOT NULL UNIQUE REFERENCES incoming (incoming_id),
  reason TEXT NOT NULL,
  details JSONB,
  created_at BIGINT NOT NULL,
  handled_at BIGINT,
  handled_by TEXT
);
CREATE TABLE quarantine_actions (
  action_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  quarantine_id BIGINT NOT NULL REFERENCES quarantine (quarantine_id),
  action TEXT NOT NULL CHECK (action IN ('forward', 'feedback-sent', 'handled', 'note')),
  actor TEXT NOT NULL,
  at BIGINT NOT NULL,
  note TEXT,
  target_her_id TEXT,
  msg_id TEXT
);
CREATE INDEX quarantine_actions_entry ON quarantine_actions (quarantine_id, action_id);

CREATE TABLE receipt_tracking (
  msg_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  next_check_at BIGINT,
  revision INTEGER NOT NULL,
  data JSONB NOT NULL
);
CREATE INDEX receipt_tracking_due ON receipt_tracking (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TABLE receipt_unmatched (
  unmatched_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  data JSONB NOT NULL
);

CREATE TABLE procedure_state (
  state_key TEXT PRIMARY KEY,
  state JSONB NOT NULL,
  version INTEGER NOT NULL,
  patient_ref TEXT,
  updated_at BIGINT NOT NULL
);

CREATE FUNCTION samhandling_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'append-only: %', TG_TABLE_NAME;
END
$fn$;

CREATE TABLE audit_log (
  audit_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  patient_ref TEXT,
  details JSONB
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_patient ON audit_log (patient_ref) WHERE patient_ref IS NOT NULL;
CREATE TABLE audit_purge_gate (cutoff BIGINT NOT NULL);
CREATE FUNCTION samhandling_audit_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_purge_gate WHERE OLD.at < cutoff) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'append-only: audit_log';
END
$fn$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION samhandling_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION samhandling_audit_delete_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION samhandling_append_only();

CREATE TABLE transport_seen (
  from_her_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  answered_at BIGINT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
  response BYTEA NOT NULL,
  PRIMARY KEY (from_her_id, message_id)
);

CREATE TABLE downtime_log (
  event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partner_her_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  msg_id TEXT,
  details JSONB
);
CREATE INDEX downtime_log_partner ON downtime_log (partner_her_id, event_id);
CREATE TRIGGER downtime_log_no_update BEFORE UPDATE ON downtime_log FOR EACH ROW EXECUTE FUNCTION samhandling_append_only();
CREATE TRIGGER downtime_log_no_delete BEFORE DELETE ON downtime_log FOR EACH ROW EXECUTE FUNCTION samhandling_append_only();
CREATE TRIGGER downtime_log_no_truncate BEFORE TRUNCATE ON downtime_log FOR EACH STATEMENT EXECUTE FUNCTION samhandling_append_only();
`;

/**
 * 002: the engine's task list and stay index get a row each (they were one JSON document each in
 * `procedure_state`, rewritten whole on every change). The existing documents are moved into the
 * tables, in their order, and removed. Times become epoch milliseconds.
 */
const ENGINE_TABLES = `
CREATE TABLE engine_tasks (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('task', 'alarm', 'notification')),
  title TEXT NOT NULL,
  detail TEXT,
  stay_key TEXT,
  msg_id TEXT,
  created_at BIGINT NOT NULL,
  due TEXT,
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  done_at BIGINT,
  done_by TEXT
);
CREATE INDEX engine_tasks_open ON engine_tasks (done, seq);
CREATE INDEX engine_tasks_stay ON engine_tasks (stay_key) WHERE stay_key IS NOT NULL;
CREATE INDEX engine_tasks_msg ON engine_tasks (msg_id) WHERE msg_id IS NOT NULL;

CREATE TABLE engine_stays (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stay_key TEXT NOT NULL UNIQUE,
  patient_ref TEXT NOT NULL,
  hospital_her_id TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  terminal INTEGER NOT NULL CHECK (terminal IN (0, 1)),
  innlagt TEXT,
  next_due BIGINT
);
CREATE INDEX engine_stays_patient ON engine_stays (patient_ref, hospital_her_id, seq);
CREATE INDEX engine_stays_due ON engine_stays (next_due) WHERE terminal = 0 AND next_due IS NOT NULL;

INSERT INTO engine_tasks (task_id, kind, title, detail, stay_key, msg_id, created_at, due, done, done_at, done_by)
SELECT t.value->>'id', t.value->>'kind', t.value->>'title', t.value->>'detail', t.value->>'stayKey', t.value->>'msgId',
       (EXTRACT(EPOCH FROM (t.value->>'createdAt')::timestamptz) * 1000)::bigint,
       t.value->>'due',
       CASE WHEN (t.value->>'done')::boolean THEN 1 ELSE 0 END,
       (EXTRACT(EPOCH FROM (t.value->>'doneAt')::timestamptz) * 1000)::bigint,
       t.value->>'doneBy'
FROM procedure_state p, jsonb_array_elements(p.state->'tasks') WITH ORDINALITY AS t(value, n)
WHERE p.state_key = 'engine:tasks'
ORDER BY t.n;

INSERT INTO engine_stays (stay_key, patient_ref, hospital_her_id, opened_at, terminal, innlagt, next_due)
SELECT e.value->>'key', e.value->>'patientRef', e.value->>'hospitalHerId',
       (EXTRACT(EPOCH FROM (e.value->>'openedAt')::timestamptz) * 1000)::bigint,
       CASE WHEN (e.value->>'terminal')::boolean THEN 1 ELSE 0 END,
       e.value->>'innlagt',
       (EXTRACT(EPOCH FROM (e.value->>'nextDue')::timestamptz) * 1000)::bigint
FROM procedure_state p, jsonb_array_elements(p.state->'stays') WITH ORDINALITY AS e(value, n)
WHERE p.state_key = 'engine:stays'
ORDER BY e.n;

DELETE FROM procedure_state WHERE state_key IN ('engine:tasks', 'engine:stays');
`;

/** The PostgreSQL migrations, oldest first (same versions and names as the SQLite adapter's). */
export const POSTGRES_MIGRATIONS: readonly SqlMigration[] = [
  { version: 1, name: '001_init', sql: INIT },
  { version: 2, name: '002_engine_tables', sql: ENGINE_TABLES },
];
