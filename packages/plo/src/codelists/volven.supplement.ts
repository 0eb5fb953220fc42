/**
 * Hand-added code lists and codes that the Volven extract (`shared/reference/volven-codes-selected.tsv`)
 * does not contain. Each entry names its public source. Entries here are marked `supplement: true`
 * in the merged lists, and listed in the package README.
 *
 * - 8114 Type dokumentreferanse (MsgHead `RefDoc/MsgType`): A, REF, XML. Source: the MsgHead v1.2
 *   documentation (KITH, Hodemelding) and the public client library ks-no/fiks-nhn-client
 *   (`TypeDokumentreferanse`, Kodeverk 8114), which lists the same three codes and names.
 * - 7309 Forsendelsesstatus: O and X. Source: the project's domain brief (DOMAIN.md §3, from the PLO
 *   1.6 documentation) and Helsedirektoratet's public display files (visningsfiler, `kodeverk.xsl`,
 *   template `k-7309`), which list N, M, A, H, C, O and X.
 */
import type { CodeListData } from './types';

/** Hand-added lists and codes, merged over the generated data. */
export const VOLVEN_SUPPLEMENT = [
  {
    system: '8114',
    oid: '2.16.578.1.12.4.1.1.8114',
    name: 'Document reference type (RefDoc/MsgType)',
    codes: [
      { code: 'A', displayName: 'Vedlegg' },
      { code: 'REF', displayName: 'Referanse' },
      { code: 'XML', displayName: 'XML-instans' },
    ],
  },
  {
    system: '7309',
    oid: '2.16.578.1.12.4.1.1.7309',
    codes: [
      { code: 'O', displayName: 'Oppdatert og erstatter tidligere mottatt melding' },
      { code: 'X', displayName: 'Annet' },
    ],
  },
] as const satisfies readonly CodeListData[];

/** Codes of Volven 8114 (Type dokumentreferanse). */
export type Volven8114Code = 'A' | 'REF' | 'XML';

/** Codes of Volven 7309 added by hand. */
export type Volven7309SupplementCode = 'O' | 'X';
