import fc from 'fast-check';
import { PloError } from '../errors';
import { assertPersonId, checkPersonId, personIdCheckDigits } from './person-id';

/** The first 11-digit number with valid classic check digits for this DDMMYY prefix. */
function completeNumber(prefix6: string): string {
  for (let i = 0; i < 1000; i++) {
    const nine = prefix6 + String(i).padStart(3, '0');
    const k = personIdCheckDigits(nine);
    if (k !== null) return nine + k;
  }
  throw new Error(`no number for ${prefix6}`);
}

describe('checkPersonId: known numbers', () => {
  it.each([
    ['31129956715', 'FNR', '1899-12-31'],
    ['13116900216', 'FNR', '1969-11-13'], // NHN's public test person
    ['01010550048', 'FNR', '2005-01-01'], // individual 500, YY < 40 → 2000s
    ['01016050012', 'FNR', '1860-01-01'], // individual 500, YY ≥ 55 → 1800s
    ['01015090045', 'FNR', '1950-01-01'], // individual 900, YY ≥ 40 → 1900s
    ['29020050088', 'FNR', '2000-02-29'], // 2000 is a leap year
    ['29020450051', 'FNR', '2004-02-29'],
    ['53116900048', 'DNR', '1969-11-13'], // first digit + 4
    ['13516900037', 'HNR', '1969-11-13'], // third digit + 4
  ])('%s is a valid %s born %s', (value, kind, birthDate) => {
    expect(checkPersonId(value)).toEqual({ valid: true, kind, synthetic: false, birthDate });
  });

  it.each([['81234500090'], ['91234500061']])('%s is a valid FH-nummer without birth date', (value) => {
    expect(checkPersonId(value)).toEqual({ valid: true, kind: 'FHN', synthetic: false, birthDate: null });
  });

  it('rejects an FH-nummer with a wrong check digit', () => {
    expect(checkPersonId('81234500091')).toMatchObject({ valid: false, reason: 'check-digit' });
  });
});

describe('checkPersonId: synthetic test numbers (month + 80)', () => {
  it('refuses them by default but still reports kind, flag and birth date', () => {
    expect(checkPersonId('13916900281')).toEqual({
      valid: false,
      kind: 'FNR',
      synthetic: true,
      birthDate: '1969-11-13',
      reason: 'synthetic-not-allowed',
    });
  });

  it('accepts them with allowSynthetic', () => {
    expect(checkPersonId('13916900281', { allowSynthetic: true })).toEqual({
      valid: true,
      kind: 'FNR',
      synthetic: true,
      birthDate: '1969-11-13',
    });
  });

  it('recognises a synthetic D-nummer', () => {
    expect(checkPersonId('53916900003', { allowSynthetic: true })).toEqual({
      valid: true,
      kind: 'DNR',
      synthetic: true,
      birthDate: '1969-11-13',
    });
  });

  it('explicit allowSynthetic: false behaves like the default', () => {
    expect(checkPersonId('13916900281', { allowSynthetic: false }).reason).toBe('synthetic-not-allowed');
  });
});

describe('checkPersonId: the 2032 check-digit rule', () => {
  it.each([['13116900224'], ['13116900232'], ['13116900240']])(
    '%s is valid only under the new k1 rule, so it carries no birth date',
    (value) => {
      expect(checkPersonId(value)).toEqual({ valid: true, kind: 'FNR', synthetic: false, birthDate: null });
    },
  );

  it('rejects a k1 whose remainder is above 3', () => {
    // k1 = 5 gives (sum + k1) mod 11 = 4 for these nine digits; k2 recomputed to isolate k1.
    const nine = '131169002';
    const digits = Array.from(nine + '5', Number);
    const w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    const s2 = digits.reduce((acc, d, i) => acc + d * (w2[i] ?? 0), 0);
    const k2 = (11 - (s2 % 11)) % 11;
    expect(k2).toBeLessThan(10);
    expect(checkPersonId(`${nine}5${k2}`)).toMatchObject({ valid: false, reason: 'check-digit' });
  });
});

describe('checkPersonId: invalid numbers', () => {
  it.each([
    ['', 'format'],
    ['1311690021', 'format'], // 10 digits
    ['131169002160', 'format'], // 12 digits
    ['1311690021a', 'format'],
    [' 13116900216', 'format'],
    ['131169 00216', 'format'],
    ['13116900217', 'check-digit'],
    ['13116900206', 'check-digit'],
    ['29020000064', 'date'], // 29 Feb 1900: not a leap year
    ['29020150260', 'date'], // 29 Feb 2001
    ['32116900000', 'date'],
    ['00116900000', 'date'],
    ['13006900000', 'date'],
    ['13136900000', 'date'],
    ['01015075097', 'individual-number'], // individual 750 with YY 50 fits no century
    ['01014560013', 'individual-number'], // individual 600 with YY 45
  ] as const)('%j is invalid: %s', (value, reason) => {
    expect(checkPersonId(value)).toEqual({ valid: false, kind: null, synthetic: false, birthDate: null, reason });
  });

  it('rejects a number carrying both the D- and the H-number offset', () => {
    expect(checkPersonId(completeNumber('535169'))).toMatchObject({ valid: false, reason: 'date' });
  });

  it('rejects 31 days in a 30-day month', () => {
    expect(checkPersonId(completeNumber('310469'))).toMatchObject({ valid: false, reason: 'date' });
  });

  it('treats non-string input as format errors rather than throwing', () => {
    expect(checkPersonId(13116900216 as unknown as string).reason).toBe('format');
    expect(checkPersonId(undefined as unknown as string).reason).toBe('format');
  });
});

describe('assertPersonId', () => {
  it('returns the result for a valid number', () => {
    expect(assertPersonId('13116900216')).toMatchObject({ valid: true, kind: 'FNR' });
  });

  it('throws PloError ERR_PLO_INVALID_PERSON_ID naming the reason but not the number', () => {
    let caught: unknown;
    try {
      assertPersonId('13116900217');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PloError);
    expect((caught as PloError).code).toBe('ERR_PLO_INVALID_PERSON_ID');
    expect((caught as PloError).message).toContain('check-digit');
    expect((caught as PloError).message).not.toContain('13116900217');
  });

  it('throws for synthetic numbers unless allowed', () => {
    expect(() => assertPersonId('13916900281')).toThrow(/synthetic-not-allowed/);
    expect(assertPersonId('13916900281', { allowSynthetic: true }).synthetic).toBe(true);
  });
});

describe('personIdCheckDigits', () => {
  it('computes the classic check digits', () => {
    expect(personIdCheckDigits('131169002')).toBe('16');
    expect(personIdCheckDigits('311299567')).toBe('15');
  });

  it('returns null when a check digit would be 10', () => {
    expect(personIdCheckDigits('531169002')).toBeNull();
  });

  it('throws TypeError on malformed input', () => {
    expect(() => personIdCheckDigits('12345678')).toThrow(TypeError);
    expect(() => personIdCheckDigits('12345678x')).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Individual numbers and two-digit years with the century the rules give them. */
const birth = fc
  .record({
    date: fc.date({ min: new Date(Date.UTC(1855, 0, 1)), max: new Date(Date.UTC(2039, 11, 31)), noInvalidDate: true }),
    pick: fc.nat(),
  })
  .map(({ date, pick }) => {
    const year = date.getUTCFullYear();
    const yy = year % 100;
    // Individual-number ranges that map to this century under the classic rules.
    let ranges: [number, number][];
    if (year < 1900) ranges = [[500, 749]];
    else if (year < 2000) ranges = yy >= 40 ? [[0, 499], [900, 999]] : [[0, 499]];
    else ranges = [[500, 999]];
    const [lo, hi] = ranges[pick % ranges.length]!;
    const individual = lo + (pick % (hi - lo + 1));
    return { year, month: date.getUTCMonth() + 1, day: date.getUTCDate(), individual };
  });

const p2 = (n: number) => String(n).padStart(2, '0');

describe('checkPersonId: properties', () => {
  it('a generated FNR/DNR/HNR/synthetic number is valid and its birth date round-trips', () => {
    fc.assert(
      fc.property(birth, fc.constantFrom('FNR', 'DNR', 'HNR', 'SYNTH', 'SYNTH_DNR'), (b, variant) => {
        const dd = variant === 'DNR' || variant === 'SYNTH_DNR' ? b.day + 40 : b.day;
        const mm = variant === 'HNR' ? b.month + 40 : variant.startsWith('SYNTH') ? b.month + 80 : b.month;
        const nine = `${p2(dd)}${p2(mm)}${p2(b.year % 100)}${String(b.individual).padStart(3, '0')}`;
        const k = personIdCheckDigits(nine);
        fc.pre(k !== null);
        const result = checkPersonId(nine + k, { allowSynthetic: true });
        const kind = variant === 'DNR' || variant === 'SYNTH_DNR' ? 'DNR' : variant === 'HNR' ? 'HNR' : 'FNR';
        expect(result).toEqual({
          valid: true,
          kind,
          synthetic: variant.startsWith('SYNTH'),
          birthDate: `${b.year}-${p2(b.month)}-${p2(b.day)}`,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('changing any single digit of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(birth, fc.nat({ max: 10 }), fc.integer({ min: 1, max: 9 }), (b, position, delta) => {
        const nine = `${p2(b.day)}${p2(b.month)}${p2(b.year % 100)}${String(b.individual).padStart(3, '0')}`;
        const k = personIdCheckDigits(nine);
        fc.pre(k !== null);
        const value = nine + k;
        const digits = Array.from(value, Number);
        digits[position] = ((digits[position] ?? 0) + delta) % 10;
        const changed = digits.join('');
        expect(checkPersonId(changed, { allowSynthetic: true }).valid).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws and always gives a reason when invalid, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{11}$/)), (value) => {
        const result = checkPersonId(value);
        if (result.valid) {
          expect(result.reason).toBeUndefined();
          expect(result.kind).not.toBeNull();
        } else {
          expect(result.reason).toBeDefined();
        }
      }),
      { numRuns: 1000 },
    );
  });
});
