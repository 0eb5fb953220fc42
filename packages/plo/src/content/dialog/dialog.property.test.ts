import fc from 'fast-check';
import { readXml } from '../../xml/reader';
import { serializeXml } from '../../xml/serialize';
import type { XmlElement } from '../../xml/tree';
import { buildDialogAvvikContent, buildDialogForesporselContent, buildDialogSvarContent } from './build';
import type { AvvikReason, DialogAvvik, DialogForesporsel, DialogQuestion, DialogRole, DialogSvar } from './model';
import { DIALOG_NS_V1_0, DIALOG_NS_V1_1 } from './model';
import { parseDialogAvvikContent, parseDialogForesporselContent, parseDialogSvarContent } from './parse';

const OID = (n: number): string => `2.16.578.1.12.4.1.1.${n}`;

/** Free text as a reader gets it back: trimmed, non-empty, no CR (XML normalizes line ends). */
const freeText = fc
  .string({ unit: fc.constantFrom('a', 'Z', 'æ', 'ø', 'å', ' ', '\n', '<', '&', '"', '1', '?', '€'), minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const token = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Drop undefined properties, as the parser never returns them. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const role: fc.Arbitrary<DialogRole> = fc
  .record({
    roleToPatient: opt(fc.constantFrom('3', '6', '9', '21').map((v) => ({ v, s: OID(9034) }))),
    familyName: freeText,
    givenName: opt(freeText),
    hpr: opt(fc.integer({ min: 1, max: 999_999_999 }).map(String)),
    asPerson: fc.boolean(),
  })
  .map(({ roleToPatient, familyName, givenName, hpr, asPerson }) => {
    const idents = hpr === undefined ? undefined : [{ id: hpr, typeId: { v: 'HPR', s: OID(8116) } }];
    const who = compact({ familyName, givenName, idents });
    return compact(asPerson ? { roleToPatient, person: who } : { roleToPatient, healthcareProfessional: who });
  });

const question = (v11: boolean): fc.Arbitrary<DialogQuestion> =>
  fc
    .record({
      topic: fc.constantFrom('6', '7', '8', '9').map((v) => ({ v, s: OID(7322) })),
      subject: v11 ? opt(freeText) : fc.constant(undefined),
      question: freeText,
      reason: opt(freeText),
      fromDate: opt(date),
      documentId: token,
      roles: opt(fc.array(role, { minLength: 1, maxLength: 2 })),
    })
    .map(compact);

function viaText(root: XmlElement): XmlElement {
  return readXml(serializeXml(root)).root;
}

describe('dialogue content round trips (model → XML → model)', () => {
  it('DIALOG_FORESPORSEL in v1.1 and v1.0', () => {
    fc.assert(
      fc.property(fc.boolean(), (v11) => {
        const ns = v11 ? DIALOG_NS_V1_1 : DIALOG_NS_V1_0;
        fc.assert(
          fc.property(fc.uniqueArray(question(v11), { minLength: 1, maxLength: 3, selector: (q) => q.documentId }), (questions) => {
            const model: DialogForesporsel = { questions };
            expect(parseDialogForesporselContent(viaText(buildDialogForesporselContent(model, ns)))).toEqual(model);
          }),
          { numRuns: 30 },
        );
      }),
      { numRuns: 2 },
    );
  });

  it('DIALOG_SVAR', () => {
    const svar: fc.Arbitrary<DialogSvar> = fc
      .record({
        status: fc.constantFrom('1', '5', '9').map((v) => ({ v, s: OID(9069) })),
        heading: opt(freeText),
        answer: freeText,
        documentId: opt(token),
        date: opt(date),
        question: question(true),
        roles: opt(fc.array(role, { minLength: 1, maxLength: 2 })),
      })
      .map(compact);
    fc.assert(
      fc.property(svar, (model) => {
        expect(parseDialogSvarContent(viaText(buildDialogSvarContent(model)))).toEqual(model);
      }),
      { numRuns: 60 },
    );
  });

  it('DIALOG_AVVIK', () => {
    const avvik: fc.Arbitrary<DialogAvvik> = fc
      .record({
        reason: fc.constantFrom<AvvikReason>('1', '2', '9'),
        heading: opt(freeText),
        description: freeText,
        originalMsgId: fc.uuid(),
        remark: opt(freeText),
        date: opt(date),
      })
      .map(compact);
    fc.assert(
      fc.property(avvik, (model) => {
        expect(parseDialogAvvikContent(viaText(buildDialogAvvikContent(model)))).toEqual(model);
      }),
      { numRuns: 60 },
    );
  });
});
