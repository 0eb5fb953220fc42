import { PloError } from '../errors';
import { MessageTypeRegistry } from '../registry/registry';
import { herIdent, personIdent } from '../parties/types';
import { logInnlagtDefinition } from '../content/pasientlogistikk/definitions';
import { PASIENTLOGISTIKK_NS_V15 } from '../content/pasientlogistikk/model';
import type { Pasientlogistikk } from '../content/pasientlogistikk/model';
import { hospital, municipality, utskrivningsklar, utskrivningsklarInput } from '../../test/support/samples';
import { buildMessage, parseMessage } from './message';
import type { BuildMessageInput } from './message';

function errorOf(fn: () => unknown): PloError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PloError) return e;
    throw e;
  }
  throw new Error('expected a PloError');
}

describe('buildMessage / parseMessage', () => {
  it('builds an LOG_UTSKRIVNINGSKLAR and parses it back', () => {
    const xml = buildMessage(utskrivningsklarInput());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><MsgHead xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24">')).toBe(true);
    expect(xml).toContain('<Type V="LOG_UTSKRIVNINGSKLAR" DN="Melding om utskrivningsklar pasient"/><MIGversion>v1.2 2006-05-24</MIGversion>');
    expect(xml).toContain('<Pasientlogistikk xmlns="http://www.kith.no/xmlstds/po/Pasientlogistikk/2012-04-01"');
    const parsed = parseMessage<Pasientlogistikk>(xml);
    expect(parsed.type).toBe('LOG_UTSKRIVNINGSKLAR');
    expect(parsed.definition?.type).toBe('LOG_UTSKRIVNINGSKLAR');
    expect(parsed.content).toEqual(utskrivningsklar);
    expect(parsed.msgHead.msgInfo).toMatchObject({
      msgId: 'b3f1a3c6-3d1b-4a51-9d1e-6f1f4c0b9a01',
      genDate: '2024-05-02T10:20:00+02:00',
      processingStatus: { v: 'P', dn: 'Produksjon' },
      sender: { organisation: hospital },
      receiver: { organisation: municipality },
    });
    expect(parsed.msgHead.msgInfo.patient?.idents[0]?.id).toBe('31129956715');
    expect(parsed.attachments).toEqual([]);
  });

  it('takes MsgId and GenDate from the injected generator and clock', () => {
    const { msgId: _m, genDate: _g, ...input } = utskrivningsklarInput();
    const xml = buildMessage(input, { clock: () => new Date(Date.UTC(2024, 0, 31, 23, 5, 9)), idGenerator: () => 'id-1' });
    const p = parseMessage(xml);
    expect(p.msgHead.msgInfo.msgId).toBe('id-1');
    expect(p.msgHead.msgInfo.genDate).toBe('2024-01-31T23:05:09Z');
  });

  it('carries attachments as base64 documents', () => {
    const data = new Uint8Array([0, 1, 2, 250, 255, 37]);
    const xml = buildMessage({ ...utskrivningsklarInput(), attachments: [{ mimeType: 'application/pdf', data, description: 'Epikrise' }] });
    expect(xml).toContain('<MsgType V="A" DN="Vedlegg"/><MimeType>application/pdf</MimeType>');
    expect(parseMessage(xml).attachments).toEqual([{ mimeType: 'application/pdf', description: 'Epikrise', data }]);
  });

  it('reports every problem of an invalid input at once', () => {
    const input: BuildMessageInput<Pasientlogistikk> = {
      ...utskrivningsklarInput(),
      sender: { name: 'Uten HER', idents: [{ id: '983975267', typeId: { v: 'ENH' } }] },
      receiver: { ...municipality, idents: [herIdent(0)] },
      patient: { familyName: 'Nordmann', givenName: 'Kari', idents: [personIdent('31129956716')] },
      content: { ...utskrivningsklar, hendelse: { tidspunkt: 'i går' } },
    };
    const e = errorOf(() => buildMessage(input));
    expect(e.code).toBe('ERR_PLO_INVALID_MODEL');
    expect(e.issues?.map((i) => i.path)).toEqual(['sender.idents', 'receiver.idents[0].id', 'patient.idents[0].id', 'content.hendelse.tidspunkt']);
  });

  it('requires conversationRef for a change or cancel', () => {
    const input = { ...utskrivningsklarInput(), content: { ...utskrivningsklar, informasjonOmForsendelsen: { forsendelsesstatus: 'C' as const } } };
    expect(errorOf(() => buildMessage(input)).issues?.map((i) => i.path)).toEqual(['conversationRef']);
    const ok = buildMessage({ ...input, conversationRef: { refToParent: 'old-id', refToConversation: 'first-id' } });
    expect(parseMessage(ok).msgHead.msgInfo.conversationRef).toEqual({ refToParent: 'old-id', refToConversation: 'first-id' });
  });

  it('refuses unknown types and namespaces the type does not have', () => {
    expect(errorOf(() => buildMessage({ ...utskrivningsklarInput(), type: 'LOG_UKJENT' })).code).toBe('ERR_PLO_UNKNOWN_MESSAGE_TYPE');
    expect(errorOf(() => buildMessage({ ...utskrivningsklarInput(), namespace: 'urn:x' })).code).toBe('ERR_PLO_UNSUPPORTED_VERSION');
  });

  it('keeps the type of an unregistered message without content, or throws when strict', () => {
    const xml = buildMessage(utskrivningsklarInput());
    const only = new MessageTypeRegistry([logInnlagtDefinition]);
    const p = parseMessage(xml, { registry: only });
    expect(p.type).toBe('LOG_UTSKRIVNINGSKLAR');
    expect(p.content).toBeUndefined();
    expect(p.definition).toBeUndefined();
    expect(errorOf(() => parseMessage(xml, { registry: only, strict: true })).code).toBe('ERR_PLO_UNKNOWN_MESSAGE_TYPE');
  });

  it('parses PLO 1.5 content (2009-06-30) when built in that namespace', () => {
    const xml = buildMessage({ ...utskrivningsklarInput(), namespace: PASIENTLOGISTIKK_NS_V15 });
    const p = parseMessage<Pasientlogistikk>(xml);
    expect(p.contentNamespace).toBe(PASIENTLOGISTIKK_NS_V15);
    expect(p.content).toEqual(utskrivningsklar);
  });

  it('refuses a document that is not a MsgHead', () => {
    expect(errorOf(() => parseMessage('<AppRec xmlns="http://www.kith.no/xmlstds/apprec/2012-02-15"/>')).code).toBe('ERR_PLO_NOT_MSGHEAD');
  });

  it('reports missing parts with absolute paths', () => {
    const xml = buildMessage(utskrivningsklarInput());
    const noSender = xml.replace(/<Sender>.*<\/Sender>/, '');
    expect(errorOf(() => parseMessage(noSender))).toMatchObject({ code: 'ERR_PLO_MISSING_ELEMENT', path: '/MsgHead/MsgInfo/Sender' });
    const noTime = xml.replace(/<po:TidspunktForHendelse V="[^"]*"\/>/, '');
    expect(errorOf(() => parseMessage(noTime))).toMatchObject({
      code: 'ERR_PLO_MISSING_ELEMENT',
      path: '/MsgHead/Document[1]/RefDoc/Content/Pasientlogistikk/MeldingUtskrivningsklarPasient/TidsfestetHendelse/TidspunktForHendelse',
    });
    const wrongEvent = xml.replace(/V="3" S="2.16.578.1.12.4.1.1.9121"/, 'V="1" S="2.16.578.1.12.4.1.1.9121"');
    expect(errorOf(() => parseMessage(wrongEvent))).toMatchObject({ code: 'ERR_PLO_INVALID_VALUE' });
  });

  it('refuses content in an unknown namespace for a known type', () => {
    const xml = buildMessage(utskrivningsklarInput()).replace(/http:\/\/www\.kith\.no\/xmlstds\/po\/Pasientlogistikk\/2012-04-01/g, 'urn:other');
    expect(errorOf(() => parseMessage(xml)).code).toBe('ERR_PLO_UNSUPPORTED_VERSION');
  });

  it('refuses invalid base64 in an attachment', () => {
    const xml = buildMessage({ ...utskrivningsklarInput(), attachments: [{ mimeType: 'text/plain', data: new Uint8Array([65]) }] }).replace('QQ==', 'Q!Q=');
    expect(errorOf(() => parseMessage(xml)).code).toBe('ERR_PLO_INVALID_VALUE');
  });
});
