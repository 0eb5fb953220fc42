import { createHmac } from 'node:crypto';
import { PATIENT_REF_PREFIX, patientRef } from './patient-ref';

const KEY = 'a-local-secret-of-32-bytes-......';

describe('patientRef', () => {
  it('is a keyed, stable pseudonym that does not contain the identifier', () => {
    const ref = patientRef('31129956715', KEY);
    expect(ref).toBe(PATIENT_REF_PREFIX + createHmac('sha256', KEY).update('31129956715').digest('base64url'));
    expect(ref).not.toContain('31129956715');
    expect(patientRef('31129956715', Buffer.from(KEY))).toBe(ref);
    expect(patientRef('13116900216', KEY)).not.toBe(ref);
    expect(patientRef('31129956715', `${KEY}x`)).not.toBe(ref);
  });

  it('refuses non-identifiers and short keys', () => {
    expect(() => patientRef('3112995671', KEY)).toThrow(TypeError);
    expect(() => patientRef('3112995671a', KEY)).toThrow(TypeError);
    expect(() => patientRef('31129956715', 'short')).toThrow(RangeError);
  });
});
