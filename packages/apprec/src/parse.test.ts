import { PloError } from '@samhandling/plo';
import { ApprecError, buildAppRec, parseAppRec, partyHerId, partyHerIds } from './index';
import { validAppRecInput } from '../test/support/apprecs';

const NS10 = 'http://www.kith.no/xmlstds/apprec/2004-11-21';
const NS11 = 'http://www.kith.no/xmlstds/apprec/2012-02-15';

/** A hand-written AppRec (synthetic data) with the parts the tests change marked by placeholders. */
function doc(ns: string, opts: { mig?: string; sender?: string; status?: string; original?: string; extra?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<AppRec xmlns="${ns}">
  <MsgType V="APPREC"/>
  <MIGversion>${opts.mig ?? '1.0 2004-11-21'}</MIGversion>
  <SoftwareName>Testsystem</SoftwareName>
  <SoftwareVersion>2.1</SoftwareVersion>
  <GenDate>2024-05-02T08:21:00.123+02:00</GenDate>
  <Id>a1</Id>
  <Sender>${opts.sender ?? '<Role V="RECEIVER"/><HCP><Inst><Name>Kommune</Name><Id>8143100</Id><TypeId V="HER" DN="HER-id"/><Dept><Name>Sykepleie</Name><Id>8143101</Id><TypeId V="HER"/></Dept></Inst></HCP>'}</Sender>
  <Receiver><HCP><Inst><Name>Sykehus</Name><Id>8142519</Id><TypeId V="HER"/></Inst></HCP></Receiver>
  ${opts.status ?? '<Status V="3" DN="OK, feil i delmelding"/><Error V="T99" OT="  vedlegg 2 kunne ikke leses "/>'}
  ${opts.extra ?? ''}
  ${opts.original ?? '<OriginalMsgId><MsgType V="LOG_INNLAGT"/><IssueDate>2024-05-02T10:20:00</IssueDate><Id>m1</Id></OriginalMsgId>'}
</AppRec>`;
}

describe('parseAppRec', () => {
  it('reads every field of an AppRec 1.0', () => {
    const a = parseAppRec(doc(NS10));
    expect(a).toEqual({
      version: '1.0',
      msgType: { v: 'APPREC' },
      migVersion: '1.0 2004-11-21',
      softwareName: 'Testsystem',
      softwareVersion: '2.1',
      genDate: '2024-05-02T08:21:00.123+02:00',
      id: 'a1',
      sender: {
        role: { v: 'RECEIVER' },
        hcp: { inst: { name: 'Kommune', id: '8143100', typeId: { v: 'HER', dn: 'HER-id' }, depts: [{ name: 'Sykepleie', id: '8143101', typeId: { v: 'HER' } }] } },
      },
      receiver: { hcp: { inst: { name: 'Sykehus', id: '8142519', typeId: { v: 'HER' } } } },
      status: { v: '3', dn: 'OK, feil i delmelding' },
      errors: [{ v: 'T99', ot: '  vedlegg 2 kunne ikke leses ' }],
      originalMsgId: { msgType: { v: 'LOG_INNLAGT' }, issueDate: '2024-05-02T10:20:00', id: 'm1' },
    });
    expect(partyHerId(a.sender)).toBe('8143101');
    expect(partyHerIds(a.sender)).toEqual(['8143100', '8143101']);
  });

  it('takes the version from the namespace and keeps a MIGversion that does not match it', () => {
    const a = parseAppRec(doc(NS11, { mig: '1.0 2004-11-21' }));
    expect(a.version).toBe('1.1');
    expect(a.migVersion).toBe('1.0 2004-11-21');
    expect(parseAppRec(doc(NS10, { mig: 'v1.1 2012-02-15' })).version).toBe('1.0');
  });

  it('reads an institution identified by organisation number with the HER-id as AdditionalId', () => {
    const sender = '<HCP><Inst><Name>Kommune</Name><Id>983975267</Id><TypeId V="ENH"/><Dept><Name>Sykepleie</Name><Id>8143101</Id><TypeId V="HER"/></Dept><AdditionalId><Id>8143100</Id><Type V="HER" DN="HER-id"/></AdditionalId></Inst></HCP>';
    const a = parseAppRec(doc(NS11, { sender }));
    expect(a.sender.hcp.inst?.additionalIds).toEqual([{ id: '8143100', type: { v: 'HER', dn: 'HER-id' } }]);
    expect(partyHerIds(a.sender)).toEqual(['8143100', '8143101']);
    expect(partyHerId(a.sender)).toBe('8143101');
  });

  it('reads a health professional party, address and speciality', () => {
    const sender =
      '<HCP><HCProf><Type V="LE"/><Name>Lege Legesen</Name><Id>8140001</Id><TypeId V="HER"/></HCProf><MedSpeciality V="1" S="2.16.578.1.12.4.1.1.7426"/><Address><Type V="PST"/><City>Skien</City><TeleAddress V="tel:+4735000000"/></Address></HCP>';
    const a = parseAppRec(doc(NS11, { sender }));
    expect(a.sender.hcp).toEqual({
      hcProf: { type: { v: 'LE' }, name: 'Lege Legesen', id: '8140001', typeId: { v: 'HER' } },
      medSpeciality: { v: '1', s: '2.16.578.1.12.4.1.1.7426' },
      address: { type: { v: 'PST' }, city: 'Skien', teleAddresses: ['tel:+4735000000'] },
    });
    expect(partyHerId(a.sender)).toBe('8140001');
  });

  it('reads ISO-8859-1 bytes', () => {
    const xml = doc(NS11).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('Kommune', 'Bø kommune');
    expect(parseAppRec(Buffer.from(xml, 'latin1')).sender.hcp.inst?.name).toBe('Bø kommune');
  });

  it('reads what buildAppRec writes', () => {
    const input = validAppRecInput();
    expect(parseAppRec(buildAppRec(input))).toEqual({ ...input, version: '1.1', migVersion: 'v1.1 2012-02-15', msgType: { v: 'APPREC', dn: 'Applikasjonskvittering' } });
  });

  describe('negative', () => {
    function codeAndPath(xml: string): [string, string | undefined] {
      try {
        parseAppRec(xml);
      } catch (e) {
        expect(e).toBeInstanceOf(ApprecError);
        return [(e as ApprecError).code, (e as ApprecError).path];
      }
      throw new Error('expected an ApprecError');
    }
    it('another root element', () => expect(codeAndPath('<MsgHead xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24"/>')).toEqual(['ERR_APPREC_NOT_APPREC', '/MsgHead']));
    it('an unknown AppRec namespace', () => expect(codeAndPath(doc('http://www.kith.no/xmlstds/apprec/2099-01-01'))[0]).toBe('ERR_APPREC_NOT_APPREC'));
    it('MsgType not APPREC', () => expect(codeAndPath(doc(NS11).replace('<MsgType V="APPREC"/>', '<MsgType V="LOG_INNLAGT"/>'))).toEqual(['ERR_APPREC_INVALID_VALUE', '/AppRec/MsgType/@V']));
    it('status not in 8258', () => expect(codeAndPath(doc(NS11, { status: '<Status V="7"/>' }))).toEqual(['ERR_APPREC_INVALID_VALUE', '/AppRec/Status/@V']));
    it('status without V', () => expect(codeAndPath(doc(NS11, { status: '<Status DN="OK"/>' }))).toEqual(['ERR_APPREC_MISSING_ELEMENT', '/AppRec/Status/@V']));
    it('no OriginalMsgId', () => expect(codeAndPath(doc(NS11, { original: '' }))).toEqual(['ERR_APPREC_MISSING_ELEMENT', '/AppRec/OriginalMsgId']));
    it('blank OriginalMsgId/Id', () =>
      expect(codeAndPath(doc(NS11, { original: '<OriginalMsgId><MsgType V="LOG_INNLAGT"/><IssueDate>2024-05-02T10:20:00</IssueDate><Id> </Id></OriginalMsgId>' }))).toEqual([
        'ERR_APPREC_MISSING_ELEMENT',
        '/AppRec/OriginalMsgId/Id',
      ]));
    it('IssueDate not a dateTime', () =>
      expect(codeAndPath(doc(NS11, { original: '<OriginalMsgId><MsgType V="LOG_INNLAGT"/><IssueDate>2. mai</IssueDate><Id>m1</Id></OriginalMsgId>' }))).toEqual([
        'ERR_APPREC_INVALID_VALUE',
        '/AppRec/OriginalMsgId/IssueDate',
      ]));
    it('HCP without Inst or HCProf', () => expect(codeAndPath(doc(NS11, { sender: '<HCP/>' }))).toEqual(['ERR_APPREC_MISSING_ELEMENT', '/AppRec/Sender/HCP/Inst']));
    it('AdditionalId without Type', () =>
      expect(codeAndPath(doc(NS11, { sender: '<HCP><Inst><Name>K</Name><AdditionalId><Id>8143100</Id></AdditionalId></Inst></HCP>' }))).toEqual([
        'ERR_APPREC_MISSING_ELEMENT',
        '/AppRec/Sender/HCP/Inst/AdditionalId[1]/Type',
      ]));
    it('XML-level refusals stay plo errors (DOCTYPE)', () => {
      const xml = doc(NS11).replace('<AppRec', '<!DOCTYPE AppRec [<!ENTITY x "y">]>\n<AppRec');
      expect(() => parseAppRec(xml)).toThrow(PloError);
      try {
        parseAppRec(xml);
      } catch (e) {
        expect((e as PloError).code).toBe('ERR_PLO_XML_DTD_FORBIDDEN');
      }
    });
  });
});
