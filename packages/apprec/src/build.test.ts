import { ApprecError, buildAppRec, parseAppRec, APPREC_NS_V1_0, APPREC_NS_V1_1 } from './index';
import type { AppRecInput } from './index';
import { validAppRecInput } from '../test/support/apprecs';

function issuesOf(input: AppRecInput): { path: string; message: string }[] {
  try {
    buildAppRec(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApprecError);
    expect((e as ApprecError).code).toBe('ERR_APPREC_INVALID_MODEL');
    return [...(e as ApprecError).issues];
  }
  throw new Error('expected ERR_APPREC_INVALID_MODEL');
}

function paths(input: AppRecInput): string[] {
  return issuesOf(input).map((i) => i.path);
}

describe('buildAppRec', () => {
  it('builds version 1.1 by default and 1.0 on request, each with its namespace and MIGversion', () => {
    const v11 = buildAppRec(validAppRecInput());
    expect(v11).toContain(`<AppRec xmlns="${APPREC_NS_V1_1}">`);
    expect(v11).toContain('<MIGversion>v1.1 2012-02-15</MIGversion>');
    const v10 = buildAppRec(validAppRecInput(), { version: '1.0' });
    expect(v10).toContain(`<AppRec xmlns="${APPREC_NS_V1_0}">`);
    expect(v10).toContain('<MIGversion>1.0 2004-11-21</MIGversion>');
    expect(parseAppRec(v10).version).toBe('1.0');
  });

  it('writes elements in schema order: Dept before AdditionalId in Inst, errors before OriginalMsgId', () => {
    const xml = buildAppRec(validAppRecInput());
    expect(xml.indexOf('<Dept>')).toBeLessThan(xml.indexOf('<AdditionalId>'));
    expect(xml.indexOf('<Status ')).toBeLessThan(xml.indexOf('<Error '));
    expect(xml.indexOf('<Error ')).toBeLessThan(xml.indexOf('<OriginalMsgId>'));
  });

  it('fills display names of status and errors from the code lists when missing', () => {
    const input = { ...validAppRecInput(), status: { v: '2' as const }, errors: [{ v: 'E21' }] };
    const parsed = parseAppRec(buildAppRec(input));
    expect(parsed.status).toEqual({ v: '2', dn: 'Avvist' });
    expect(parsed.errors).toEqual([{ v: 'E21', dn: 'Mottaker finnes ikke', s: '2.16.578.1.12.4.1.1.8221' }]);
  });

  it('refuses a version other than 1.0 and 1.1 as a caller mistake', () => {
    expect(() => buildAppRec(validAppRecInput(), { version: '1.2' as never })).toThrow(RangeError);
  });

  describe('negative: one broken field each, with its path', () => {
    it('status not in 8258', () => expect(paths({ ...validAppRecInput(), status: { v: '4' as never } })).toEqual(['status.v']));
    it('status 2 without errors', () => expect(paths({ ...validAppRecInput(), errors: [] })).toEqual(['errors']));
    it('status 3 without errors', () => expect(paths({ ...validAppRecInput(), status: { v: '3' }, errors: [] })).toEqual(['errors']));
    it('status 1 with errors', () => expect(paths({ ...validAppRecInput(), status: { v: '1' } })).toEqual(['errors']));
    it('error code not in 8221', () => expect(paths({ ...validAppRecInput(), errors: [{ v: 'E99' }] })).toEqual(['errors[0].v']));
    it('error from another code system', () => expect(paths({ ...validAppRecInput(), errors: [{ v: 'E35', s: '2.16.578.1.12.4.1.1.8222' }] })).toEqual(['errors[0].s']));
    it('GenDate not a dateTime', () => expect(paths({ ...validAppRecInput(), genDate: '2024-05-02' })).toEqual(['genDate']));
    it('blank Id', () => expect(paths({ ...validAppRecInput(), id: ' ' })).toEqual(['id']));
    it('OriginalMsgId of an AppRec', () => {
      const input = validAppRecInput();
      expect(paths({ ...input, originalMsgId: { ...input.originalMsgId, msgType: { v: 'APPREC' } } })).toEqual(['originalMsgId.msgType.v']);
    });
    it('OriginalMsgId without Id', () => {
      const input = validAppRecInput();
      expect(paths({ ...input, originalMsgId: { ...input.originalMsgId, id: '' } })).toEqual(['originalMsgId.id']);
    });
    it('a party without any HER-id', () => {
      const input = validAppRecInput();
      expect(paths({ ...input, sender: { hcp: { inst: { name: 'Uten HER', id: '983975267', typeId: { v: 'ENH' } } } } })).toEqual(['sender.hcp']);
    });
    it('an invalid HER-id', () => {
      const input = validAppRecInput();
      const inst = input.sender.hcp.inst!;
      expect(paths({ ...input, sender: { hcp: { inst: { ...inst, id: 'abc' } } } })).toEqual(['sender.hcp.inst.id']);
    });
    it('an Id without TypeId', () => {
      const input = validAppRecInput();
      const { typeId: _t, ...inst } = input.sender.hcp.inst!;
      expect(paths({ ...input, sender: { hcp: { inst } } })).toEqual(['sender.hcp.inst.typeId']);
    });
    it('both Inst and HCProf', () => {
      const input = validAppRecInput();
      expect(paths({ ...input, sender: { hcp: { ...input.sender.hcp, hcProf: { id: '8143101', typeId: { v: 'HER' } } } } })).toEqual(['sender.hcp']);
    });
  });

  it('reports every problem at once', () => {
    const input = validAppRecInput();
    expect(paths({ ...input, id: '', genDate: 'now', status: { v: '3' }, errors: [] })).toEqual(['genDate', 'id', 'errors']);
  });
});
