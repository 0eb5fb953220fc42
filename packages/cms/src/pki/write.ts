/** Writing a generated test PKI to a folder as PEM files plus an index.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestCredential, TestPki } from './generate';

/** One entry of index.json. */
export interface TestPkiIndexEntry {
  /** Role in the PKI, e.g. `party/<slug>/signing`, `bad/expired`, `root`. */
  readonly role: string;
  readonly subject: string;
  readonly serialNumberHex: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly certificate: string;
  readonly key: string;
  readonly organisationNumber: string | null;
  readonly herId?: string;
}

/** index.json written by {@link writeTestPki}. */
export interface TestPkiIndex {
  readonly createdAt: string;
  readonly trustAnchors: readonly string[];
  readonly intermediates: readonly string[];
  readonly crls: readonly string[];
  readonly entries: readonly TestPkiIndexEntry[];
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[æ]/g, 'ae')
    .replace(/[ø]/g, 'o')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'party' : s;
}

/**
 * Writes the PKI to `dir` (created if missing): `<file>.pem` certificates, `<file>.key.pem`
 * unencrypted PKCS#8 keys, `enterprise-ca.crl.pem`, `root.crl.pem`, `ca-bundle.pem`
 * (root + intermediate) and `index.json` describing every file. Returns the index.
 */
export async function writeTestPki(pki: TestPki, dir: string): Promise<TestPkiIndex> {
  await mkdir(dir, { recursive: true });
  const entries: TestPkiIndexEntry[] = [];
  const used = new Set<string>();
  const put = async (role: string, base: string, cred: TestCredential, herId?: string): Promise<void> => {
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${String(n)}`;
    used.add(name);
    const certificate = `${name}.pem`;
    const key = `${name}.key.pem`;
    await writeFile(path.join(dir, certificate), cred.certificatePem);
    await writeFile(path.join(dir, key), cred.keyPem, { mode: 0o600 });
    const c = cred.certificate;
    entries.push({
      role,
      subject: c.subject,
      serialNumberHex: c.serialNumberHex,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      certificate,
      key,
      organisationNumber: c.organisationNumber,
      ...(herId === undefined ? {} : { herId }),
    });
  };
  await put('root', 'root-ca', pki.root);
  await put('intermediate', 'enterprise-ca', pki.intermediate);
  for (const p of pki.parties) {
    const s = slug(p.name);
    await put(`party/${s}/signing`, `${s}-signing`, p.signing, String(p.herId));
    await put(`party/${s}/encryption`, `${s}-encryption`, p.encryption, String(p.herId));
  }
  await put('bad/expired', 'bad-expired', pki.bad.expired);
  await put('bad/not-yet-valid', 'bad-not-yet-valid', pki.bad.notYetValid);
  await put('bad/revoked', 'bad-revoked', pki.bad.revoked);
  await put('bad/wrong-key-usage', 'bad-wrong-key-usage', pki.bad.wrongKeyUsage);
  await put('bad/untrusted', 'bad-untrusted', pki.bad.untrusted);
  await put('bad/untrusted-root', 'bad-untrusted-root', pki.bad.untrustedRoot);
  await put('bad/intermediate-without-keycertsign', 'bad-ca-without-keycertsign', pki.bad.intermediateWithoutKeyCertSign);
  await put('bad/under-intermediate-without-keycertsign', 'bad-under-ca-without-keycertsign', pki.bad.underIntermediateWithoutKeyCertSign);
  await writeFile(path.join(dir, 'enterprise-ca.crl.pem'), pki.crl.pem);
  await writeFile(path.join(dir, 'root.crl.pem'), pki.rootCrl.pem);
  await writeFile(path.join(dir, 'ca-bundle.pem'), pki.root.certificatePem + pki.intermediate.certificatePem);
  const index: TestPkiIndex = {
    createdAt: pki.createdAt.toISOString(),
    trustAnchors: ['root-ca.pem'],
    intermediates: ['enterprise-ca.pem'],
    crls: ['enterprise-ca.crl.pem', 'root.crl.pem'],
    entries,
  };
  await writeFile(path.join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}
