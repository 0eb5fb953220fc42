/**
 * Test support for the CMS operation tests: one generated test PKI per test file, its PEM files
 * written to a temporary folder for the `openssl` command, and helpers to run openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CrlCache, staticCrlSource } from '../../src/index';
import type { CmsTrust } from '../../src/index';
import { createTestPki } from '../../src/pki/generate';
import type { TestCredential, TestPki } from '../../src/pki/generate';

export interface CmsFixture {
  readonly pki: TestPki;
  readonly dir: string;
  /** Absolute path of a file in the temporary folder. */
  file(name: string): string;
  /** Writes bytes into the temporary folder, returns the path. */
  write(name: string, data: string | Uint8Array): string;
  /** Trust for verifying the test PKI's signatures, with CRL revocation. */
  readonly trust: CmsTrust;
  /** Paths of a credential's certificate and key PEM files (written on demand). */
  pem(name: string, cred: TestCredential): { cert: string; key: string };
  cleanup(): void;
}

export const systemClock = (): Date => new Date();

export async function createCmsFixture(): Promise<CmsFixture> {
  const pki = await createTestPki({
    parties: [
      { name: 'Skien kommune', herId: 1001, orgNumber: '964963738' },
      { name: 'Sykehuset Telemark', herId: 2002, orgNumber: '983975267' },
    ],
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'samhandling-cms-'));
  const file = (name: string): string => path.join(dir, name);
  const write = (name: string, data: string | Uint8Array): string => {
    writeFileSync(file(name), data);
    return file(name);
  };
  write('ca-bundle.pem', pki.root.certificatePem + pki.intermediate.certificatePem);
  write('root.pem', pki.root.certificatePem);
  write('intermediate.pem', pki.intermediate.certificatePem);
  write('crls.pem', pki.crl.pem + pki.rootCrl.pem);
  // openssl cms has no -CRLfile: CRLs are read from the -CAfile bundle together with the certificates.
  write('ca-bundle-crls.pem', pki.root.certificatePem + pki.intermediate.certificatePem + pki.crl.pem + pki.rootCrl.pem);
  const pem = (name: string, cred: TestCredential): { cert: string; key: string } => ({
    cert: write(`${name}.pem`, cred.certificatePem),
    key: write(`${name}.key.pem`, cred.keyPem),
  });
  const trust: CmsTrust = {
    anchors: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    revocation: new CrlCache({ source: staticCrlSource([pki.crl.pem, pki.rootCrl.pem]), clock: systemClock }),
  };
  return { pki, dir, file, write, trust, pem, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs openssl with the arguments; returns stdout. Throws with stderr on failure. */
export function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** True when the `openssl` command is available. */
export function hasOpenssl(): boolean {
  try {
    openssl(['version']);
    return true;
  } catch {
    return false;
  }
}
