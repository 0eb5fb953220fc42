/** Hard limits on untrusted CMS input. */
import { MAX_BER_CHILDREN, MAX_BER_DEPTH, MAX_BER_STRING_CHUNKS } from './der';

/** Largest CMS input accepted, in bytes (50 MB: above the 35 MB national payload limit plus overhead). */
export const CMS_MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** Deepest BER nesting accepted. */
export const CMS_MAX_DEPTH = MAX_BER_DEPTH;

/** Most certificates accepted in one SignedData. */
export const CMS_MAX_CERTIFICATES = 32;

/** Most RecipientInfos examined in one EnvelopedData. */
export const CMS_MAX_RECIPIENTS = 64;

/** Most elements accepted in one constructed BER element. */
export const CMS_MAX_ELEMENTS = MAX_BER_CHILDREN;

/** Most chunks accepted in one constructed (streamed) OCTET STRING. */
export const CMS_MAX_STRING_CHUNKS = MAX_BER_STRING_CHUNKS;
