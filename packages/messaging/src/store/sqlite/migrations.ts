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

/** The SQLite migrations, oldest first. */
export const SQLITE_MIGRATIONS: readonly SqlMigration[] = [{ version: 1, name: '001_init', sql: INIT }];
