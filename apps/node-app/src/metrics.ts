/**
 * Prometheus metrics in the text exposition format (version 0.0.4): the engine's gauges and
 * counters (queue depths, overdue receipts, send failures), a histogram of send-to-AppRec
 * latencies, and the app's own HTTP and webhook counters.
 */
import type { MetricsView } from '@samhandling/messaging';

/** Histogram buckets for send-to-AppRec latency, in seconds. */
export const RECEIPT_LATENCY_BUCKETS_S: readonly number[] = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600];

/** Counters the app keeps itself. */
export class AppCounters {
  readonly http = new Map<string, number>();
  webhookDeliveries = 0;
  webhookFailures = 0;

  countRequest(method: string, route: string, status: number): void {
    const key = `${method}\u0000${route}\u0000${String(status)}`;
    this.http.set(key, (this.http.get(key) ?? 0) + 1);
  }
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Renders the metrics page. */
export function renderMetrics(m: MetricsView, c: AppCounters): string {
  const out: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${String(value)}`);
  };
  metric('samhandling_outbox_depth', 'gauge', 'Outgoing messages not yet acknowledged by the transport.', m.outboxDepth);
  metric('samhandling_inbox_depth', 'gauge', 'EPJ inbox entries not yet acknowledged.', m.inboxDepth);
  metric('samhandling_quarantine_open', 'gauge', 'Quarantined incoming messages not yet handled.', m.quarantineOpen);
  metric('samhandling_receipts_overdue', 'gauge', 'Outgoing messages whose AppRec is overdue.', m.overdueReceipts);
  metric('samhandling_send_failures_total', 'counter', 'Failed send attempts.', m.sendFailuresTotal);
  metric('samhandling_messages_sent_total', 'counter', 'Messages sent.', m.messagesSentTotal);
  metric('samhandling_messages_received_total', 'counter', 'Messages received.', m.messagesReceivedTotal);

  const name = 'samhandling_receipt_latency_seconds';
  out.push(`# HELP ${name} Time from sending a message to its AppRec.`, `# TYPE ${name} histogram`);
  const secs = m.receiptLatenciesMs.map((ms) => ms / 1000);
  for (const b of RECEIPT_LATENCY_BUCKETS_S) out.push(`${name}_bucket{le="${String(b)}"} ${String(secs.filter((s) => s <= b).length)}`);
  out.push(`${name}_bucket{le="+Inf"} ${String(secs.length)}`, `${name}_sum ${String(secs.reduce((a, b) => a + b, 0))}`, `${name}_count ${String(secs.length)}`);

  out.push('# HELP samhandling_http_requests_total HTTP requests by method, route template and status.', '# TYPE samhandling_http_requests_total counter');
  for (const [key, v] of [...c.http.entries()].sort()) {
    const [method = '', route = '', status = ''] = key.split('\u0000');
    out.push(`samhandling_http_requests_total{method="${esc(method)}",route="${esc(route)}",status="${esc(status)}"} ${String(v)}`);
  }
  metric('samhandling_webhook_deliveries_total', 'counter', 'Inbox entries delivered to a webhook.', c.webhookDeliveries);
  metric('samhandling_webhook_failures_total', 'counter', 'Failed webhook attempts.', c.webhookFailures);
  return `${out.join('\n')}\n`;
}
