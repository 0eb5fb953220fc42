import fc from 'fast-check';
import { PloError } from '../errors';
import { assertOrgNumber, isValidOrgNumber, orgNumberCheckDigit } from './org-number';

describe('isValidOrgNumber', () => {
  // Public organisation numbers: Brønnøysundregistrene, Equinor ASA, Helsedirektoratet.
  it.each([['974760673'], ['923609016'], ['983544622'], [974760673]])('accepts %j', (value) => {
    expect(isValidOrgNumber(value)).toBe(true);
  });

  it.each([
    ['974760674'], // wrong check digit
    ['97476067'], // 8 digits
    ['9747606730'], // 10 digits
    ['97476067a'],
    [' 974760673'],
    ['974 760 673'],
    [''],
    [97476067],
    [-974760673],
    [974760673.5],
  ])('rejects %j', (value) => {
    expect(isValidOrgNumber(value)).toBe(false);
  });

  it('rejects a number whose check digit would be 10', () => {
    const eight = Array.from({ length: 100000 }, (_, i) => String(90000000 + i)).find((e) => orgNumberCheckDigit(e) === null)!;
    for (let d = 0; d <= 9; d++) expect(isValidOrgNumber(`${eight}${d}`)).toBe(false);
  });

  it('accepts every eight-digit prefix completed with its check digit, and no other last digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (eight) => {
        const k = orgNumberCheckDigit(eight);
        for (let d = 0; d <= 9; d++) expect(isValidOrgNumber(`${eight}${d}`)).toBe(k === d);
      }),
    );
  });

  it('detects any single changed digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), fc.nat({ max: 8 }), fc.integer({ min: 1, max: 9 }), (eight, pos, delta) => {
        const k = orgNumberCheckDigit(eight);
        fc.pre(k !== null);
        const digits = Array.from(`${eight}${k}`, Number);
        digits[pos] = ((digits[pos] ?? 0) + delta) % 10;
        expect(isValidOrgNumber(digits.join(''))).toBe(false);
      }),
    );
  });
});

describe('orgNumberCheckDigit', () => {
  it('computes the mod-11 check digit', () => {
    expect(orgNumberCheckDigit('97476067')).toBe(3);
  });

  it('throws TypeError on malformed input', () => {
    expect(() => orgNumberCheckDigit('9747606')).toThrow(TypeError);
  });
});

describe('assertOrgNumber', () => {
  it('returns the number as a string', () => {
    expect(assertOrgNumber(974760673)).toBe('974760673');
  });

  it('throws PloError ERR_PLO_INVALID_ORG_NUMBER', () => {
    let caught: unknown;
    try {
      assertOrgNumber('974760674');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PloError);
    expect((caught as PloError).code).toBe('ERR_PLO_INVALID_ORG_NUMBER');
  });
});
