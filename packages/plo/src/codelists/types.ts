/** One code in a code list. */
export interface CodeEntry {
  /** The code value, as written in the `V` attribute. */
  readonly code: string;
  /** Display name, as written in the `DN` attribute. */
  readonly displayName: string;
}

/** Shape of one code list in the generated and supplementary data. */
export interface CodeListData {
  /** Volven code system number, e.g. `'8279'`. */
  readonly system: string;
  /** Code system OID, `2.16.578.1.12.4.1.1.<system>`, as written in the `S` attribute. */
  readonly oid: string;
  /** Descriptive name written for this project (not Volven's official title), when known. */
  readonly name?: string;
  /** The codes. */
  readonly codes: readonly CodeEntry[];
}

/** A code entry in the merged lists. */
export interface CodeListEntry extends CodeEntry {
  /** True when the code was added by hand (see `volven.supplement.ts`), not taken from the Volven extract. */
  readonly supplement?: true;
}

/** A merged code list, as returned by `getCodeList`. */
export interface CodeList {
  readonly system: string;
  readonly oid: string;
  readonly name?: string;
  readonly codes: readonly CodeListEntry[];
}
