/**
 * A printable HTML rendering of a message for manual handling during downtime (DOMAIN §8): the
 * header (type, MsgId, time, sender, receiver, patient) and the content as a nested list. Every
 * value is escaped; the page has no scripts and no external resources.
 * @internal
 */
import { codeDisplayName, deepestHerId, parseMessage } from '@samhandling/plo';
import type { Organisation } from '@samhandling/plo';
import { patientIdOf, patientNameOf } from './parties';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function orgText(org: Organisation): string {
  const names: string[] = [];
  let level: Organisation | undefined = org;
  while (level !== undefined) {
    names.push(level.name);
    level = level.organisation;
  }
  return `${names.join(' / ')} (HER-id ${deepestHerId(org) ?? '?'})`;
}

function label(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function renderValue(v: unknown, depth: number): string {
  if (depth > 12) return '…';
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return `<ol>${v.map((x) => `<li>${renderValue(x, depth + 1)}</li>`).join('')}</ol>`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['v'] === 'string' && Object.keys(o).every((k) => ['v', 'dn', 's', 'ot'].includes(k))) {
      return esc(`${String(o['dn'] ?? o['ot'] ?? '')} (${String(o['v'])})`.trim());
    }
    const rows = Object.entries(o)
      .filter(([, x]) => x !== undefined && !(x instanceof Uint8Array))
      .map(([k, x]) => `<dt>${esc(label(k))}</dt><dd>${renderValue(x, depth + 1)}</dd>`);
    return `<dl>${rows.join('')}</dl>`;
  }
  return esc(String(v));
}

/** The printable page of a MsgHead message (`xml`), with a note line (direction, state). */
export function renderPrintableHtml(xml: string, note: string): string {
  let body: string;
  let title = 'Melding';
  try {
    const parsed = parseMessage(xml);
    const info = parsed.msgHead.msgInfo;
    title = codeDisplayName(8279, info.type.v) ?? info.type.dn ?? info.type.v;
    const patientId = patientIdOf(info.patient);
    const rows: [string, string][] = [
      ['Meldingstype', `${title} (${info.type.v})`],
      ['MsgId', info.msgId],
      ['Tidspunkt', info.genDate],
      ['Avsender', orgText(info.sender.organisation)],
      ['Mottaker', orgText(info.receiver.organisation)],
      ['Pasient', `${patientNameOf(info.patient) ?? ''}${patientId === undefined ? '' : ` — ${patientId}`}`],
    ];
    if (info.conversationRef !== undefined) rows.push(['Svar på / endrer', info.conversationRef.refToParent]);
    body = `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Innhold</h2>${parsed.content === undefined ? `<pre>${esc(xml)}</pre>` : renderValue(parsed.content, 0)}
${parsed.attachments.length === 0 ? '' : `<p>${parsed.attachments.length} vedlegg (se elektronisk kopi).</p>`}`;
  } catch {
    body = `<pre>${esc(xml)}</pre>`;
  }
  return `<!DOCTYPE html>
<html lang="no"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}.note{font-style:italic}</style>
</head><body>
<h1>${esc(title)}</h1>
<p class="note">${esc(note)}</p>
${body}
<p class="note">Manuell håndtering: registrer leveransen i meldingsloggen (kanal, tidspunkt, mottaker).</p>
</body></html>
`;
}
