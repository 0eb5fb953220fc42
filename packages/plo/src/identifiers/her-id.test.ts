import fc from 'fast-check';
import { PloError } from '../errors';
import { MAX_HER_ID, assertHerId, isValidHerId } from './her-id';

describe('isValidHerId', () => {
  it.each([['8094866'], ['1'], ['90000'], [String(MAX_HER_ID)], [8094866], [1]])('accepts %j', (value) => {
    expect(isValidHerId(value)).toBe(true);
  });

  it.each([
    [''],
    ['0'],
    ['0123'],
    ['-5'],
    ['+5'],
    ['12 34'],
    [' 1234'],
    ['1234 '],
    ['12.5'],
    ['1e5'],
    ['abc'],
    [String(MAX_HER_ID + 1)],
    ['12345678901'],
    [0],
    [-1],
    [1.5],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [MAX_HER_ID + 1],
  ])('rejects %j', (value) => {
    expect(isValidHerId(value)).toBe(false);
  });

  it('rejects values of other types', () => {
    expect(isValidHerId(null as unknown as string)).toBe(false);
    expect(isValidHerId({} as unknown as string)).toBe(false);
  });

  it('agrees between the number and its decimal text for every positive integer in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_HER_ID }), (n) => {
        expect(isValidHerId(n)).toBe(true);
        expect(isValidHerId(String(n))).toBe(true);
      }),
    );
  });
});

describe('assertHerId', () => {
  it('returns the id as a string', () => {
    expect(assertHerId(8094866)).toBe('8094866');
    expect(assertHerId('8094866')).toBe('8094866');
  });

  it('throws PloError ERR_PLO_INVALID_HER_ID', () => {
    expect(() => assertHerId('0')).toThrow(PloError);
    try {
      assertHerId('x');
    } catch (err) {
      expect((err as PloError).code).toBe('ERR_PLO_INVALID_HER_ID');
    }
    expect.assertions(2);
  });
});
