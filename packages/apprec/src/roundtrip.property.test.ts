import fc from 'fast-check';
import { getCodeList, herIdent, orgNumberIdent } from '@samhandling/plo';
import type { AppRecErrorCode, Organisation, ParsedMessage } from '@samhandling/plo';
import { buildAppRec, correlateAppRec, parseAppRec, partyHerId, receiptFor } from './index';
import type { AppRecDept, AppRecErrorEntry, AppRecInput, AppRecParty, AppRecVersion } from './index';
import { receivedUtskrivningsklar } from '../test/support/messages';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789';
const INNER = `${LETTERS} .,-&'"<>/()`;

/** Text that survives trimming: starts and ends with a letter or digit, may contain markup characters. */
const word = fc
  .tuple(fc.constantFrom(...LETTERS), fc.string({ unit: fc.constantFrom(...INNER), maxLength: 30 }), fc.constantFrom(...LETTERS))
  .map(([a, b, c]) => `${a}${b}${c}`);
const herId = fc.integer({ min: 1, max: 2_147_483_647 }).map(String);
const id = fc.oneof(fc.uuid(), word);
const dateTime = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(`${d.toISOString().slice(0, 19)}Z`, d.toISOString(), `${d.toISOString().slice(0, 19)}+02:00`, d.toISOString().slice(0, 19)));
const HER = { v: 'HER', dn: 'HER-id' };
const errorCodes = (getCodeList(8221)?.codes ?? []).map((c) => c.code as AppRecErrorCode);
const messageTypes = (getCodeList(8279)?.codes ?? []).map((c) => c.code).filter((c) => c !== 'APPREC');

const dept: fc.Arbitrary<AppRecDept> = fc.record({ name: word, id: herId }).map(({ name, id: her }) => ({ name, id: her, typeId: HER }));
const party: fc.Arbitrary<AppRecParty> = fc.oneof(
  fc.record({ name: word, her: herId, depts: fc.array(dept, { maxLength: 2 }), role: fc.option(word, { nil: undefined }) }).map(({ name, her, depts, role }) => ({
    ...(role === undefined ? {} : { role: { v: role.replace(/\s/g, '') } }),
    hcp: { inst: { name, id: her, typeId: HER, ...(depts.length === 0 ? {} : { depts }) } },
  })),
  fc.record({ name: word, org: fc.constant('983975267'), her: herId, dept }).map(({ name, org, her, dept: d }) => ({
    hcp: { inst: { name, id: org, typeId: { v: 'ENH' }, depts: [d], additionalIds: [{ id: her, type: HER }] } },
  })),
  fc.record({ name: word, her: herId }).map(({ name, her }) => ({ hcp: { hcProf: { name, id: her, typeId: HER } } })),
);
const error: fc.Arbitrary<AppRecErrorEntry> = fc
  .record({ v: fc.constantFrom(...errorCodes), ot: fc.option(fc.tuple(fc.constantFrom('', ' '), word).map(([a, b]) => a + b), { nil: undefined }) })
  .map(({ v, ot }) => (ot === undefined ? { v } : { v, ot }));
const statusAndErrors = fc.oneof(
  fc.constant({ status: { v: '1' as const }, errors: [] as AppRecErrorEntry[] }),
  fc.array(error, { minLength: 1, maxLength: 4 }).map((errors) => ({ status: { v: '2' as const }, errors })),
  fc.array(error, { minLength: 1, maxLength: 4 }).map((errors) => ({ status: { v: '3' as const }, errors })),
);
const appRecInput: fc.Arbitrary<AppRecInput> = fc
  .record({
    genDate: dateTime,
    id,
    sender: party,
    receiver: party,
    se: statusAndErrors,
    software: fc.option(fc.tuple(word, word), { nil: undefined }),
    original: fc.record({ type: fc.constantFrom(...messageTypes), issueDate: dateTime, id }),
  })
  .map(({ se, software, original, ...rest }) => ({
    ...rest,
    ...se,
    ...(software === undefined ? {} : { softwareName: software[0], softwareVersion: software[1] }),
    originalMsgId: { msgType: { v: original.type }, issueDate: original.issueDate, id: original.id },
  }));
const version = fc.constantFrom<AppRecVersion>('1.0', '1.1');

/** What parsing a built AppRec yields: display names and the error code system filled in. */
function normalised(input: AppRecInput, v: AppRecVersion): object {
  const names = new Map((getCodeList(8221)?.codes ?? []).map((c) => [c.code, c.displayName]));
  const statusNames: Record<string, string> = { '1': 'OK', '2': 'Avvist', '3': 'OK, feil i delmelding' };
  return {
    ...input,
    version: v,
    migVersion: v === '1.0' ? '1.0 2004-11-21' : 'v1.1 2012-02-15',
    msgType: { v: 'APPREC', dn: 'Applikasjonskvittering' },
    status: { v: input.status.v, dn: statusNames[input.status.v] },
    errors: input.errors.map((e) => ({ ...e, dn: names.get(e.v), s: '2.16.578.1.12.4.1.1.8221' })),
  };
}

describe('AppRec round trips (property)', () => {
  it('any valid model, built in either version, parses back to the same fields', () => {
    fc.assert(
      fc.property(appRecInput, version, (input, v) => {
        expect(parseAppRec(buildAppRec(input, { version: v }))).toEqual(normalised(input, v));
      }),
      { numRuns: 200 },
    );
  });

  const level = fc.record({ name: word, her: herId });
  const organisation: fc.Arbitrary<Organisation> = fc
    .record({ top: level, withOrg: fc.boolean(), below: fc.array(fc.record({ name: word, her: fc.option(herId, { nil: undefined }) }), { maxLength: 3 }) })
    .map(({ top, withOrg, below }) => {
      let nested: Organisation | undefined;
      for (const l of [...below].reverse()) {
        nested = { name: l.name, idents: l.her === undefined ? [orgNumberIdent('983975267')] : [herIdent(l.her)], ...(nested === undefined ? {} : { organisation: nested }) };
      }
      return { name: top.name, idents: withOrg ? [herIdent(top.her), orgNumberIdent('983975240')] : [herIdent(top.her)], ...(nested === undefined ? {} : { organisation: nested }) };
    });

  it('any receipt built for a received message parses back to the same fields and correlates with it', () => {
    const base = receivedUtskrivningsklar();
    fc.assert(
      fc.property(
        fc.record({
          sender: organisation,
          receiver: organisation,
          msgId: id,
          genDate: dateTime,
          type: fc.constantFrom(...messageTypes),
          se: statusAndErrors,
          v: version,
          institutionId: fc.constantFrom('herId' as const, 'orgNumber' as const),
          now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true }),
        }),
        ({ sender, receiver, msgId, genDate, type, se, v, institutionId, now }) => {
          const received: ParsedMessage = {
            ...base,
            msgHead: { ...base.msgHead, msgInfo: { ...base.msgHead.msgInfo, type: { v: type }, msgId, genDate, sender: { organisation: sender }, receiver: { organisation: receiver } } },
          };
          const statusName = ({ '1': 'ok', '2': 'rejected', '3': 'partial' } as const)[se.status.v];
          const { appRec, xml } = receiptFor(received, {
            status: statusName,
            errors: se.errors.map((e) => (e.ot === undefined ? { code: e.v as AppRecErrorCode } : { code: e.v as AppRecErrorCode, text: e.ot })),
            version: v,
            institutionId,
            clock: () => now,
          });
          const parsed = parseAppRec(xml);
          expect(parsed).toEqual(appRec);
          expect(parsed.originalMsgId.id).toBe(msgId);
          expect(parsed.originalMsgId.issueDate).toBe(genDate);
          expect(partyHerId(parsed.receiver)).toBeDefined();
          expect(correlateAppRec(parsed, received).correlates).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
