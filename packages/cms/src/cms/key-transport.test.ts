import { constants, createHash, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { unwrapKey, wrapKey } from './key-transport';
import { DIGEST_LENGTH } from './algorithms';
import type { DigestName } from './algorithms';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const k = 256;

/** OAEP encoding written out from RFC 8017 §7.1.1, with an MGF1 hash that may differ from the label hash. */
function oaepEncode(message: Uint8Array, hash: DigestName, mgfHash: DigestName, label = Buffer.alloc(0)): Buffer {
  const hLen = DIGEST_LENGTH[hash];
  const mgf1 = (seed: Uint8Array, len: number): Buffer => {
    const out: Buffer[] = [];
    for (let i = 0; out.length * DIGEST_LENGTH[mgfHash] < len; i++) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(i);
      out.push(createHash(mgfHash).update(seed).update(c).digest());
    }
    return Buffer.concat(out).subarray(0, len);
  };
  const db = Buffer.concat([createHash(hash).update(label).digest(), Buffer.alloc(k - message.length - 2 * hLen - 2), Buffer.of(1), message]);
  const seed = randomBytes(hLen);
  const maskedDb = Buffer.from(db.map((b, i) => b ^ mgf1(seed, db.length)[i]!));
  const maskedSeed = Buffer.from(seed.map((b, i) => b ^ mgf1(maskedDb, hLen)[i]!));
  return Buffer.concat([Buffer.of(0), maskedSeed, maskedDb]);
}

function rawEncrypt(em: Uint8Array, key: KeyObject = publicKey): Buffer {
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}

describe('PKCS#1 v1.5 key transport (implicit rejection)', () => {
  test('round trip through node publicEncrypt', () => {
    const cek = randomBytes(32);
    const wrapped = wrapKey(cek, publicKey, { kind: 'pkcs1' });
    expect(unwrapKey(wrapped, privateKey, { kind: 'pkcs1' }, 32)).toEqual(cek);
  });

  test('a bad padding yields a deterministic synthetic key of the expected length, never an error', () => {
    const em = Buffer.alloc(k, 0x11);
    em[0] = 0;
    em[1] = 0x01; // wrong block type
    const c = rawEncrypt(em);
    const a = unwrapKey(c, privateKey, { kind: 'pkcs1' }, 32);
    const b = unwrapKey(c, privateKey, { kind: 'pkcs1' }, 32);
    expect(a).toHaveLength(32);
    expect(a).toEqual(b);
    expect(a).not.toEqual(em.subarray(k - 32));
  });

  test.each([
    ['first byte not zero', (em: Buffer) => (em[0] = 1)],
    ['zero inside the padding string', (em: Buffer) => (em[5] = 0)],
    ['separator missing', (em: Buffer) => (em[k - 33] = 7)],
    ['key of another length (16 octets)', (em: Buffer) => {
      em[k - 33] = 0x5a;
      em[k - 17] = 0;
    }],
  ])('%s → synthetic key', (_name, breakIt) => {
    const cek = randomBytes(32);
    const em = Buffer.concat([Buffer.of(0, 2), Buffer.alloc(k - 35, 0x5a), Buffer.of(0), cek]);
    expect(unwrapKey(rawEncrypt(em), privateKey, { kind: 'pkcs1' }, 32)).toEqual(cek);
    breakIt(em);
    const got = unwrapKey(rawEncrypt(em), privateKey, { kind: 'pkcs1' }, 32);
    expect(got).toHaveLength(32);
    expect(got).not.toEqual(em.subarray(k - 32));
  });

  test('a wrong key and a ciphertext longer than the modulus behave like bad padding', () => {
    const cek = randomBytes(16);
    const wrapped = wrapKey(cek, other.publicKey, { kind: 'pkcs1' });
    expect(unwrapKey(wrapped, privateKey, { kind: 'pkcs1' }, 16)).toHaveLength(16);
    expect(unwrapKey(Buffer.alloc(300, 0xff), privateKey, { kind: 'pkcs1' }, 16)).toHaveLength(16);
    expect(unwrapKey(Buffer.alloc(k, 0xff), privateKey, { kind: 'pkcs1' }, 16)).toHaveLength(16);
  });
});

describe('RSA-OAEP key transport', () => {
  const label = Buffer.alloc(0);
  test.each([
    ['sha1', 'sha1'],
    ['sha256', 'sha256'],
    ['sha512', 'sha512'],
    ['sha256', 'sha1'],
    ['sha1', 'sha256'],
    ['sha512', 'sha256'],
  ] as [DigestName, DigestName][])('OAEP %s with MGF1 %s', (hash, mgf1Hash) => {
    const cek = randomBytes(32);
    const c = rawEncrypt(oaepEncode(cek, hash, mgf1Hash));
    expect(unwrapKey(c, privateKey, { kind: 'oaep', hash, mgf1Hash, label }, 32)).toEqual(cek);
    // the wrong MGF1 hash decodes to a synthetic key, not an error
    const wrong: DigestName = mgf1Hash === 'sha1' ? 'sha256' : 'sha1';
    expect(unwrapKey(c, privateKey, { kind: 'oaep', hash, mgf1Hash: wrong, label }, 32)).not.toEqual(cek);
  });

  test('node OAEP (SHA-256) interoperates', () => {
    const cek = randomBytes(24);
    const wrapped = wrapKey(cek, publicKey, { kind: 'oaep', hash: 'sha256', mgf1Hash: 'sha256', label });
    expect(unwrapKey(wrapped, privateKey, { kind: 'oaep', hash: 'sha256', mgf1Hash: 'sha256', label }, 24)).toEqual(cek);
  });

  test('a label is honoured', () => {
    const cek = randomBytes(32);
    const withLabel = Buffer.from('label');
    const c = rawEncrypt(oaepEncode(cek, 'sha256', 'sha256', withLabel));
    expect(unwrapKey(c, privateKey, { kind: 'oaep', hash: 'sha256', mgf1Hash: 'sha256', label: withLabel }, 32)).toEqual(cek);
    expect(unwrapKey(c, privateKey, { kind: 'oaep', hash: 'sha256', mgf1Hash: 'sha256', label }, 32)).not.toEqual(cek);
  });

  test('sending OAEP with a differing MGF1 hash is refused as a caller mistake', () => {
    expect(() => wrapKey(randomBytes(32), publicKey, { kind: 'oaep', hash: 'sha256', mgf1Hash: 'sha1', label })).toThrow(RangeError);
  });
});
