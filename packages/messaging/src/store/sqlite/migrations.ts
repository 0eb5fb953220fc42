/**
 * SQLite schema migrations. The logical schema is the same as the PostgreSQL adapter's (same
 * tables, columns, keys and triggers); only the SQL types differ. Times are epoch milliseconds,
 * JSON is text, bytes are BLOBs. Append-only tables refuse UPDATE and DELETE with triggers; the
 * audit log allows DELETE only below the cut-off written to `audit_purge_gate` by the purge
 * transaction itself.
 */
import type { SqlMigration } from '../sql/driver';

const INIT = `
CREATE TABLE outgoing (
  msg_id TEXT PRIMARY KEY,
  msg_type TEXT NOT NULL,
  sender_her_id TEXT NOT NULL,
  receiver_her_id TEXT NOT NULL,
  conversation_ref TEXT,
  patient_ref TEXT,
  payload BLOB NOT NULL,
  transport_meta TEXT,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'acknowledged', 'failed', 'dead-letter')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  next_attempt_at INTEGER,
  lease_token TEXT,
  lease_until INTEGER,
  transport_message_id TEXT,
  sent_at INTEGER,
  acknowledged_at INTEGER,
  last_error TEXT,
  dead_letter_reason TEXT
);
CREATE INDEX outgoing_due ON outgoing (next_attempt_at) WHERE state IN ('queued', 'failed', 'sent');
CREATE INDEX outgoing_lease ON outgoing (lease_until) WHERE state = 'sending';
CREATE INDEX outgoing_state ON outgoing (state, created_at);

CREATE TABLE incoming (
  incoming_id INTEGER PRIMARY KEY AUTOINCREMENT,
  transport_message_id TEXT NOT NULL UNIQUE,
  payload BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  transport_meta TEXT,
  state TEXT NOT NULL CHECK (state IN ('received', 'processing', 'delivered', 'rejected', 'quarantined', 'duplicate', 'receipt', 'discarded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_token TEXT,
  lease_until INTEGER,
  last_error TEXT,
  msg_id TEXT,
  sender_her_id TEXT,
  receiver_her_id TEXT,
  msg_type TEXT,
  conversation_ref TEXT,
  patient_ref TEXT,
  reason TEXT,
  details TEXT,
  duplicate_of INTEGER REFERENCES incoming (incoming_id),
  completed_at INTEGER
);
CREATE INDEX incoming_due ON incoming (next_attempt_at) WHERE state = 'received';
CREATE INDEX incoming_lease ON incoming (lease_until) WHERE state = 'processing';
CREATE INDEX incoming_state ON incoming (state, incoming_id);

CREATE TABLE received_messages (
  sender_her_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  incoming_id INTEGER NOT NULL REFERENCES incoming (incoming_id),
  state TEXT NOT NULL,
  msg_type TEXT,
  content_hash TEXT,
  apprec_msg_id TEXT,
  apprec_xml BLOB,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (sender_her_id, msg_id)
);

CREATE TABLE inbox (
  inbox_id INTEGER PRIMARY KEY AUTOINCREMENT,
  incoming_id INTEGER REFERENCES incoming (incoming_id),
  sender_her_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  msg_type TEXT NOT NULL,
  conversation_ref TEXT,
  patient_ref TEXT,
  payload BLOB NOT NULL,
  content_type TEXT NOT NULL,
  delivered_at INTEGER NOT NULL,
  acked_at INTEGER,
  acked_by TEXT,
  UNIQUE (sender_her_id, msg_id)
);
CREATE INDEX inbox_pending ON inbox (inbox_id) WHERE acked_at IS NULL;

CREATE TABLE quarantine (
  quarantine_id INTEGER PRIMARY KEY AUTOINCREMENT,
  incoming_id INTEGER NOT NULL UNIQUE REFERENCES incoming (incoming_id),
  reason TEXT NOT NULL,
  details TEXT,
  created_at INTEGER NOT NULL,
  handled_at INTEGER,
  handled_by TEXT
);
CREATE TABLE quarantine_actions (
  action_id INTEGER PRIMARY KEY AUTOINCREMENT,
  quarantine_id INTEGER NOT NULL REFERENCES quarantine (quarantine_id),
  action TEXT NOT NULL CHECK (action IN ('forward', 'feedback-sent', 'handled', 'note')),
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT,
  target_her_id TEXT,
  msg_id TEXT
);
CREATE INDEX quarantine_actions_entry ON quarantine_actions (quarantine_id, action_id);

CREATE TABLE receipt_tracking (
  msg_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  next_check_at INTEGER,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX receipt_tracking_due ON receipt_tracking (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TABLE receipt_unmatched (
  unmatched_id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  data TEXT NOT NULL
);

CREATE TABLE procedure_state (
  state_key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  patient_ref TEXT,
  updated_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
  audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  patient_ref TEXT,
  details TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_patient ON audit_log (patient_ref) WHERE patient_ref IS NOT NULL;
CREATE TABLE audit_purge_gate (cutoff INTEGER NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'append-only: audit_log');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate WHERE OLD.at < cutoff)
BEGIN
  SELECT RAISE(ABORT, 'append-only: audit_log');
END;

CREATE TABLE transport_seen (
  from_her_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  answered_at INTEGER NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
  response BLOB NOT NULL,
  PRIMARY KEY (from_her_id, message_id)
);

CREATE TABLE downtime_log (
  event_id INTEGER PRIMARY KEY AUTOINCREMENT,
  partner_her_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  msg_id TEXT,
  details TEXT
);
CREATE INDEX downtime_log_partner ON downtime_log (partner_her_id, event_id);
CREATE TRIGGER downtime_log_no_update BEFORE UPDATE ON downtime_log
BEGIN
  SELECT RAISE(ABORT, 'append-only: downtime_log');
END;
CREATE TRIGGER downtime_log_no_delete BEFORE DELETE ON downtime_log
BEGIN
  SELECT RAISE(ABORT, 'append-only: downtime_log');
END;
`;

/**
 * 002: the engine's task list and stay index get a row each (they were one JSON document each in
 * `procedure_state`, rewritten whole on every change). The existing documents are moved into the
 * tables, in their order, and removed. Times become epoch milliseconds.
 */
const ENGINE_TABLES = `
CREATE TABLE engine_tasks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('task', 'alarm', 'notification')),
  title TEXT NOT NULL,
  detail TEXT,
  stay_key TEXT,
  msg_id TEXT,
  created_at INTEGER NOT NULL,
  due TEXT,
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  done_at INTEGER,
  done_by TEXT
);
CREATE INDEX engine_tasks_open ON engine_tasks (done, seq);
CREATE INDEX engine_tasks_stay ON engine_tasks (stay_key) WHERE stay_key IS NOT NULL;
CREATE INDEX engine_tasks_msg ON engine_tasks (msg_id) WHERE msg_id IS NOT NULL;

CREATE TABLE engine_stays (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  stay_key TEXT NOT NULL UNIQUE,
  patient_ref TEXT NOT NULL,
  hospital_her_id TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  terminal INTEGER NOT NULL CHECK (terminal IN (0, 1)),
  innlagt TEXT,
  next_due INTEGER
);
CREATE INDEX engine_stays_patient ON engine_stays (patient_ref, hospital_her_id, seq);
CREATE INDEX engine_stays_due ON engine_stays (next_due) WHERE terminal = 0 AND next_due IS NOT NULL;

INSERT INTO engine_tasks (task_id, kind, title, detail, stay_key, msg_id, created_at, due, done, done_at, done_by)
SELECT json_extract(t.value, '$.id'), json_extract(t.value, '$.kind'), json_extract(t.value, '$.title'), json_extract(t.value, '$.detail'),
       json_extract(t.value, '$.stayKey'), json_extract(t.value, '$.msgId'),
       CAST(ROUND((julianday(json_extract(t.value, '$.createdAt')) - 2440587.5) * 86400000) AS INTEGER),
       json_extract(t.value, '$.due'),
       CASE WHEN json_extract(t.value, '$.done') THEN 1 ELSE 0 END,
       CAST(ROUND((julianday(json_extract(t.value, '$.doneAt')) - 2440587.5) * 86400000) AS INTEGER),
       json_extract(t.value, '$.doneBy')
FROM procedure_state p, json_each(p.state, '$.tasks') t
WHERE p.state_key = 'engine:tasks'
ORDER BY t.key;

INSERT INTO engine_stays (stay_key, patient_ref, hospital_her_id, opened_at, terminal, innlagt, next_due)
SELECT json_extract(e.value, '$.key'), json_extract(e.value, '$.patientRef'), json_extract(e.value, '$.hospitalHerId'),
       CAST(ROUND((julianday(json_extract(e.value, '$.openedAt')) - 2440587.5) * 86400000) AS INTEGER),
       CASE WHEN json_extract(e.value, '$.terminal') THEN 1 ELSE 0 END,
       json_extract(e.value, '$.innlagt'),
       CAST(ROUND((julianday(json_extract(e.value, '$.nextDue')) - 2440587.5) * 86400000) AS INTEGER)
FROM procedure_state p, json_each(p.state, '$.stays') e
WHERE p.state_key = 'engine:stays'
ORDER BY e.key;

DELETE FROM procedure_state WHERE state_key IN ('engine:tasks', 'engine:stays');
`;

/** The SQLite migrations, oldest first. */
export const SQLITE_MIGRATIONS: readonly SqlMigration[] = [
  { version: 1, name: '001_init', sql: INIT },
  { version: 2, name: '002_engine_tables', sql: ENGINE_TABLES },
];
