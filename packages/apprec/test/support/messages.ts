/**
 * Synthetic messages for tests (made-up HER-ids and organisation numbers, the public example
 * fødselsnummer 31129956715 from DOMAIN.md §7).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildMessage, herIdent, orgNumberIdent, parseMessage, personIdent } from '@samhandling/plo';
import type { DialogForesporsel, Organisation, Pasientlogistikk, ParsedMessage, Person } from '@samhandling/plo';

export const hospital: Organisation = {
  name: 'Sykehuset Telemark HF',
  idents: [herIdent(8142519), orgNumberIdent('983975240')],
  organisation: { name: 'Somatikk plo meldingsmottak', idents: [herIdent(8142520)] },
};

export const municipality: Organisation = {
  name: 'Skien kommune',
  idents: [herIdent(8143100), orgNumberIdent('983975267')],
  organisation: { name: 'Sykepleietjeneste', idents: [herIdent(8143101)] },
};

export const patient: Person = { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956715', 'FNR')] };

export const SENT_MSG_ID = '6f0e2a56-8c1b-4d3e-9a57-2b1c0d9e8f71';
export const SENT_GEN_DATE = '2024-05-02T10:20:00+02:00';

const utskrivningsklar: Pasientlogistikk = {
  informasjonOmForsendelsen: { forsendelsesstatus: 'N' },
  hendelse: { tidspunkt: '2024-05-02T10:15:00+02:00' },
};

/** LOG_UTSKRIVNINGSKLAR from the hospital to the municipality, as XML. */
export function utskrivningsklarXml(overrides: { msgId?: string; sender?: Organisation; receiver?: Organisation } = {}): string {
  return buildMessage<Pasientlogistikk>({
    type: 'LOG_UTSKRIVNINGSKLAR',
    msgId: overrides.msgId ?? SENT_MSG_ID,
    genDate: SENT_GEN_DATE,
    sender: overrides.sender ?? hospital,
    receiver: overrides.receiver ?? municipality,
    patient,
    content: utskrivningsklar,
  });
}

/** The same message, parsed (as the municipality receives it). */
export function receivedUtskrivningsklar(overrides: Parameters<typeof utskrivningsklarXml>[0] = {}): ParsedMessage {
  return parseMessage(utskrivningsklarXml(overrides));
}

/** A DIALOG_FORESPORSEL from the municipality to the hospital, as XML. */
export function foresporselXml(msgId = '0d9a4c1e-2b3f-4e5a-8c7d-1f2e3d4c5b6a'): string {
  return buildMessage<DialogForesporsel>({
    type: 'DIALOG_FORESPORSEL',
    msgId,
    genDate: '2024-05-03T08:00:00Z',
    conversationRef: { refToParent: SENT_MSG_ID, refToConversation: SENT_MSG_ID },
    sender: municipality,
    receiver: hospital,
    patient,
    content: { questions: [{ topic: { v: '6', s: '2.16.578.1.12.4.1.1.7322', dn: 'Henvendelse om pasient' }, question: 'Når kommer pasienten?', documentId: 'q-1' }] },
  });
}

/** A fixed clock. */
export function fixedClock(iso: string): () => Date {
  return () => new Date(iso);
}

/** Sequential ids `00000000-0000-4000-8000-00000000000N`. */
export function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/** The shared conformance folder (`shared/conformance` beside an ancestor of this file), if present. */
export function findConformance(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'conformance');
    if (existsSync(path.join(candidate, 'SOURCES.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
