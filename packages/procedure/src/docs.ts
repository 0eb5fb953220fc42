/**
 * Renders `docs/protocols/hospital-stay.md` from the definition: identity and hash, a Mermaid
 * state diagram, the transition table, the deadline table, the payment rules and the policy
 * defaults. The committed page is compared with this output in a test, so it cannot go stale.
 */
import { HOSPITAL_STAY_DEFINITION, TRANSITIONS, machineInfo } from './definition';
import type { StayPhase } from './definition';
import { POLICY_OPTIONS } from './policy';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The protocol page (Markdown) for the hospital-stay definition. */
export function renderProtocolPage(): string {
  const def = HOSPITAL_STAY_DEFINITION;
  const info = machineInfo();
  const lines: string[] = [];
  const push = (...l: string[]): void => {
    lines.push(...l);
  };
  push(
    `# ${def.title}`,
    '',
    '<!-- Generated from packages/procedure/src/definition.ts by tools/scripts/gen-procedure-docs.mjs. Do not edit by hand. -->',
    '',
    `- Definition: \`${info.id}\` version \`${info.version}\``,
    `- Content hash (SHA-256 of the canonical JSON of the definition, policy defaults included): \`${info.hash}\``,
    `- Legal basis: ${def.legalBasis}`,
    `- A stay is keyed by ${def.stayKey.map((k) => `\`${k}\``).join(' + ')}.`,
    '- Policy options, their defaults and the facts that are not verified: [hospital-stay-policy.md](hospital-stay-policy.md).',
    '',
    'Both parties run this definition. Every result (state, periods, deadlines, payment days) is',
    'recomputed from the surviving messages sorted by time then id: duplicates change nothing,',
    'late messages land where their timestamps put them, and a message cancelled (Forsendelsesstatus',
    'C) or replaced (M, O) is left out. Deadlines are absolute instants in the state; the caller',
    'feeds `deadline-passed` events, there are no timers.',
    '',
    '## State diagram',
    '',
    '```mermaid',
    'stateDiagram-v2',
    `  [*] --> ${def.initial}`,
  );
  const edges = new Map<string, string[]>();
  for (const row of TRANSITIONS) {
    for (const from of row.from) {
      const to = row.to ?? from;
      if (to === from) continue; // events that keep the state are listed in the transition table
      const key = `${from} --> ${to}`;
      const label = row.guard === undefined ? row.on : `${row.on} [${row.guard}]`;
      const list = edges.get(key) ?? [];
      if (!list.includes(label)) list.push(label);
      edges.set(key, list);
    }
  }
  for (const [edge, labels] of edges) push(`  ${edge} : ${labels.join(', ')}`);
  for (const [name, st] of Object.entries(def.states)) if (st.terminal) push(`  ${name} --> [*]`);
  push('```', '', 'Events that keep the state (e.g. updated Helseopplysninger, dialogue) are in the transition table below.', '', '## States', '', '| State | Terminal | Meaning |', '|---|---|---|');
  for (const [name, st] of Object.entries(def.states)) push(`| \`${name}\` | ${st.terminal ? 'yes' : 'no'} | ${cell(st.description)} |`);
  push('', '## Events', '', '| Event | Message type | Sender | Meaning |', '|---|---|---|---|');
  for (const [name, ev] of Object.entries(def.events)) push(`| \`${name}\` | ${cell(ev.messageType)} | ${ev.sender} | ${cell(ev.description)} |`);
  push('', 'Other inputs:', '');
  for (const [name, text] of Object.entries(def.inputs)) push(`- \`${name}\`: ${text}`);
  push('', '## Transitions', '', 'An event with no row for the current state is ignored and reported as an issue (`ignored-event`).', '');
  push('| From | Event | Guard | To | Actions |', '|---|---|---|---|---|');
  for (const row of TRANSITIONS) {
    const to: StayPhase | '(stays)' = row.to ?? '(stays)';
    push(
      `| ${row.from.map((f) => `\`${f}\``).join(', ')} | \`${row.on}\` | ${row.guard === undefined ? '' : `\`${row.guard}\``} | ${
        to === '(stays)' ? to : `\`${to}\``
      } | ${row.actions.map((a) => `\`${a}\``).join(', ')} |`,
    );
  }
  push('', '### Guards', '');
  for (const [name, text] of Object.entries(def.guards)) push(`- \`${name}\`: ${text}`);
  push('', '### Actions', '');
  for (const [name, text] of Object.entries(def.actions)) push(`- \`${name}\`: ${text}`);
  push(
    '',
    '## Deadlines',
    '',
    'Days are calendar days in the policy time zone (default Europe/Oslo), correct across daylight-saving',
    'changes. `due` is the first instant at which a deadline is breached; a deadline is met by an',
    'event strictly before it.',
    '',
    '| Rule | Section | Party | Scope | Anchor | Due | Met by | Not applicable when |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const d of def.deadlines) {
    push(
      `| \`${d.rule}\` | ${d.section} | ${d.party} | ${d.scope} | ${cell(d.anchor)} | ${cell(d.due)} | ${cell(d.metBy)} | ${cell(d.notApplicable)} |`,
    );
  }
  push('', `## Payment days (${def.payment.section})`, '');
  push(`- Payable: ${def.payment.payable}.`);
  push(`- First day: ${def.payment.firstDay}.`);
  push(`- End: ${def.payment.end}.`);
  push(`- Open period: ${def.payment.open}.`);
  push(`- Amount: ${def.payment.amount}.`);
  push('', '## Effects', '', '| Effect | Name | Meaning |', '|---|---|---|');
  for (const [name, text] of Object.entries(def.effects.task)) push(`| task | \`${name}\` | ${cell(text)} |`);
  push(`| alarm | | ${cell(def.effects.alarm)} |`);
  push(`| schedule-deadline | | ${cell(def.effects['schedule-deadline'])} |`);
  for (const [name, text] of Object.entries(def.effects.notification)) push(`| notification | \`${name}\` | ${cell(text)} |`);
  push('', '## Policy defaults', '', '| Option | Default |', '|---|---|');
  const defaults = def.policyDefaults as unknown as Record<string, unknown>;
  for (const option of POLICY_OPTIONS) {
    if (option === 'dailyRatesNOK') continue;
    push(`| \`${option}\` | \`${cell(JSON.stringify(defaults[option]))}\` |`);
  }
  push('', 'Daily rates (NOK, `dailyRatesNOK`; later years are configured, a year without a rate is flagged):', '');
  push('| Year | Rate |', '|---|---|');
  for (const [year, rate] of Object.entries(def.policyDefaults.dailyRatesNOK)) push(`| ${year} | ${rate} |`);
  push('');
  return lines.join('\n');
}
