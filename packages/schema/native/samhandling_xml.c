/*
 * samhandling_xml: compile-once XSD validation for @samhandling/schema.
 *
 * A small Node-API (C) addon over libxml2 2.9 built from the sources vendored in libxmljs2.
 *
 *   compileSchema(driverXsd, baseUrl, allowedDirs) -> handle
 *   validate(handle, utf8Bytes, withTree, maxDepth, maxElements, maxAttributes[, textNamespace, textChild]) -> result
 *
 * Security model:
 * - Schema files are trusted configuration. They are read only while compileSchema runs on the
 *   calling thread, and only from files under the directories it is given; never from the
 *   network, never through XML catalogs.
 * - Messages are untrusted. While a message is parsed and validated the external entity loader
 *   refuses everything. The parser runs with XML_PARSE_NONET | XML_PARSE_IGNORE_ENC only (never
 *   NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE). A DOCTYPE stops the parser; depth,
 *   element and attribute limits and XInclude elements are checked while the document is parsed.
 *
 * Thread safety: a handle keeps one parser context and one schema validation context and must
 * only be used by the thread (Node.js environment) that created it. The "may read schema files"
 * flag is thread-local.
 */
#define _GNU_SOURCE /* memrchr */
#define NAPI_VERSION 8
#include <node_api.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>
#include <libxml/SAX2.h>
#include <libxml/dict.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* At most this many errors are reported per call (the rest are counted). */
#define MAX_ERRORS 1000
/* libxml's own depth limit (xmlParserMaxDepth) is never set below its default. */
#define LIBXML_DEFAULT_MAX_DEPTH 256

static const char *XINCLUDE_2001 = "http://www.w3.org/2001/XInclude";
static const char *XINCLUDE_2003 = "http://www.w3.org/2003/XInclude";

/* ------------------------------------------------------------------------------------------ */
/* Growable byte buffer                                                                        */

typedef struct {
  char *data;
  size_t len;
  size_t cap;
  int failed;
} buf_t;

static int buf_reserve(buf_t *b, size_t extra) {
  if (b->failed) return 0;
  if (b->len + extra + 1 <= b->cap) return 1;
  size_t cap = b->cap == 0 ? 4096 : b->cap;
  while (b->len + extra + 1 > cap) {
    if (cap > SIZE_MAX / 2) {
      b->failed = 1;
      return 0;
    }
    cap *= 2;
  }
  char *grown = realloc(b->data, cap);
  if (grown == NULL) {
    b->failed = 1;
    return 0;
  }
  b->data = grown;
  b->cap = cap;
  return 1;
}

static void buf_put(buf_t *b, const char *s, size_t n) {
  if (!buf_reserve(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buf_puts(buf_t *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_putc(buf_t *b, char c) {
  if (!buf_reserve(b, 1)) return;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

static void buf_put_uint(buf_t *b, unsigned long v) {
  char tmp[24];
  size_t n = sizeof tmp;
  do {
    tmp[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  buf_put(b, tmp + n, sizeof tmp - n);
}

static void buf_put_u16(buf_t *b, unsigned int unit) {
  static const char hex[] = "0123456789abcdef";
  char esc[6] = {'\\', 'u', hex[(unit >> 12) & 15], hex[(unit >> 8) & 15], hex[(unit >> 4) & 15], hex[unit & 15]};
  buf_put(b, esc, 6);
}

/*
 * Appends `s` (valid UTF-8 from libxml) escaped for a JSON string body, as pure ASCII: non-ASCII
 * characters become \uXXXX escapes (surrogate pairs above U+FFFF), so the JSON text is a
 * one-byte string for V8 (no UTF-8 decoding when it crosses into JavaScript).
 */
/* 1 for bytes that cannot be copied into a JSON string as they are (controls, '"', '\\', non-ASCII, NUL). */
static const unsigned char JSON_SPECIAL[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * The code point of the multi-byte UTF-8 sequence at `*pp` (its first byte is >= 0x80), advancing
 * `*pp` past it. libxml guarantees well-formed UTF-8; a truncated or invalid sequence gives U+FFFD.
 */
static unsigned utf8_next(const unsigned char **pp, const unsigned char *end) {
  const unsigned char *p = *pp;
  unsigned c = *p++;
  unsigned cp;
  int extra;
  if ((c & 0xE0) == 0xC0) {
    cp = c & 0x1F;
    extra = 1;
  } else if ((c & 0xF0) == 0xE0) {
    cp = c & 0x0F;
    extra = 2;
  } else if ((c & 0xF8) == 0xF0) {
    cp = c & 0x07;
    extra = 3;
  } else {
    cp = 0xFFFD;
    extra = 0;
  }
  for (int i = 0; i < extra; i++, p++) {
    if (p >= end || (*p & 0xC0) != 0x80) {
      cp = 0xFFFD;
      break;
    }
    cp = (cp << 6) | (*p & 0x3F);
  }
  *pp = p;
  return cp;
}

/* Appends `n` bytes of `s` escaped for a JSON string body (stops early at a NUL). */
static void buf_put_json_len(buf_t *b, const xmlChar *s, size_t n) {
  if (s == NULL) return;
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end = p + n;
  const unsigned char *run = p;
  for (;;) {
    if (p >= end) {
      if (p > run) buf_put(b, (const char *)run, (size_t)(p - run));
      return;
    }
    unsigned char c = *p;
    if (!JSON_SPECIAL[c]) {
      p++;
      continue;
    }
    if (p > run) buf_put(b, (const char *)run, (size_t)(p - run));
    if (c == '\0') return;
    if (c < 0x80) {
      switch (c) {
        case '"': buf_put(b, "\\\"", 2); break;
        case '\\': buf_put(b, "\\\\", 2); break;
        case '\n': buf_put(b, "\\n", 2); break;
        case '\r': buf_put(b, "\\r", 2); break;
        case '\t': buf_put(b, "\\t", 2); break;
        default: buf_put_u16(b, c);
      }
      p++;
    } else {
      unsigned int cp = utf8_next(&p, end);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        buf_put_u16(b, 0xD800 + (cp >> 10));
        buf_put_u16(b, 0xDC00 + (cp & 0x3FF));
      } else {
        buf_put_u16(b, cp);
      }
    }
    run = p;
  }
}

static void buf_put_json(buf_t *b, const xmlChar *s) {
  if (s != NULL) buf_put_json_len(b, s, strlen((const char *)s));
}

/*
 * Text content of a tree, as UTF-16 code units (JavaScript string offsets). The JSON refers to each
 * text run by [start, end]; JavaScript slices one string instead of parsing escaped text. `max`
 * is the largest code unit: below 256 the string is handed over as latin1 (a one-byte string).
 */
typedef struct {
  uint16_t *data;
  size_t len;
  size_t cap;
  unsigned max;
  int failed;
} u16buf_t;

static int u16_reserve(u16buf_t *t, size_t extra) {
  if (t->failed) return 0;
  if (t->len + extra <= t->cap) return 1;
  size_t cap = t->cap == 0 ? 4096 : t->cap;
  while (t->len + extra > cap) {
    if (cap > SIZE_MAX / 4) {
      t->failed = 1;
      return 0;
    }
    cap *= 2;
  }
  uint16_t *grown = realloc(t->data, cap * sizeof *grown);
  if (grown == NULL) {
    t->failed = 1;
    return 0;
  }
  t->data = grown;
  t->cap = cap;
  return 1;
}

/* Appends `n` bytes of UTF-8 (well-formed, from libxml) as UTF-16. */
static void u16_put_utf8(u16buf_t *t, const xmlChar *s, size_t n) {
  if (!u16_reserve(t, n)) return; /* UTF-16 never needs more units than UTF-8 has bytes */
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *end = p + n;
  uint16_t *out = t->data + t->len;
  unsigned max = t->max;
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      *out++ = (uint16_t)c;
      p++;
      continue;
    }
    unsigned cp = utf8_next(&p, end);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      *out++ = (uint16_t)(0xD800 + (cp >> 10));
      *out++ = (uint16_t)(0xDC00 + (cp & 0x3FF));
      max = 0xFFFF;
    } else {
      *out++ = (uint16_t)cp;
      if (cp > max) max = cp;
    }
  }
  t->len = (size_t)(out - t->data);
  t->max = max;
}

/* ------------------------------------------------------------------------------------------ */
/* Error collection                                                                            */

typedef struct {
  char *message;
  int line;
  int column;
  int level;
  int domain;
  int code;
  /* Element the error is about (1-based index in document order, 0: none); its path is resolved after parsing. */
  uint32_t element;
  char *path;
} collected_error;

typedef struct {
  collected_error items[MAX_ERRORS];
  uint32_t count;
  uint32_t dropped;
} error_list;

static void errors_clear(error_list *list) {
  for (uint32_t i = 0; i < list->count; i++) {
    free(list->items[i].message);
    free(list->items[i].path);
  }
  list->count = 0;
  list->dropped = 0;
}

static void record_error(error_list *list, const char *message, int line, int column, int level, int domain, int code, uint32_t element) {
  if (list->count >= MAX_ERRORS) {
    list->dropped++;
    return;
  }
  collected_error *e = &list->items[list->count];
  e->message = strdup(message == NULL ? "Unknown error" : message);
  if (e->message == NULL) {
    list->dropped++;
    return;
  }
  e->line = line;
  e->column = column;
  e->level = level;
  e->domain = domain;
  e->code = code;
  e->element = element;
  e->path = NULL;
  list->count++;
}

/* ------------------------------------------------------------------------------------------ */
/* External entity loader                                                                       */

typedef struct {
  char **dirs; /* canonical directories, each ending in '/' */
  size_t count;
  unsigned refused;
  char refused_url[512];
} allowlist;

/* Set only while compileSchema runs on this thread; NULL means "refuse everything". */
static _Thread_local allowlist *tls_allow = NULL;
static xmlExternalEntityLoader default_loader = NULL;

/* file:///abs/path, file://localhost/abs/path or /abs/path → malloc'd unescaped path; else NULL. */
static char *url_to_path(const char *url) {
  const char *p = url;
  if (strncmp(p, "file://", 7) == 0) {
    p += 7;
    if (strncmp(p, "localhost/", 10) == 0) p += 9;
  } else if (strstr(p, "://") != NULL || strncmp(p, "file:", 5) == 0) {
    return NULL;
  }
  if (p[0] != '/') return NULL;
  return xmlURIUnescapeString(p, 0, NULL);
}

static xmlParserInputPtr locked_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)id;
  allowlist *allow = tls_allow;
  if (allow == NULL || url == NULL) return NULL;
  char *path = url_to_path(url);
  char real[PATH_MAX];
  int ok = 0;
  if (path != NULL && realpath(path, real) != NULL) {
    for (size_t i = 0; i < allow->count && !ok; i++) {
      size_t n = strlen(allow->dirs[i]);
      if (strncmp(real, allow->dirs[i], n) == 0) ok = 1;
    }
  }
  free(path);
  if (!ok) {
    if (allow->refused++ == 0) snprintf(allow->refused_url, sizeof allow->refused_url, "%s", url);
    return NULL;
  }
  return xmlNewInputFromFile(ctxt, real);
}

/* ------------------------------------------------------------------------------------------ */
/* Streaming parse + validation with limits                                                     */
/*
 * A document is parsed once, with SAX: libxml's schema validator is plugged into the event stream
 * (xmlSchemaSAXPlug) and our own callbacks enforce the limits, keep an index of the elements (for
 * error paths) and write the tree JSON as the events arrive. No DOM is built.
 */

enum fatal_kind { FATAL_NONE = 0, FATAL_TOO_DEEP, FATAL_TOO_LARGE, FATAL_FORBIDDEN, FATAL_DTD };

static const char *fatal_names[] = {"", "TOO_DEEP", "TOO_LARGE", "FORBIDDEN_CONSTRUCT", "DTD_FORBIDDEN"};

/*
 * Namespace URIs of a tree: an element's "ns" is emitted as an index into this table (returned
 * beside the tree), so the JSON does not repeat long URIs and JavaScript gets one string per
 * namespace instead of one per element. Beyond MAX_TREE_NAMESPACES distinct URIs (hostile input)
 * the URI is written inline.
 */
#define MAX_TREE_NAMESPACES 64
typedef struct {
  const xmlChar *items[MAX_TREE_NAMESPACES];
  unsigned count;
} ns_table;

/* One element seen while parsing: enough to name it by path once the parse is over. */
typedef struct {
  const xmlChar *name; /* local name, owned by the parser's dictionary */
  uint32_t parent;     /* 1-based index of the parent, 0 for the root */
  uint32_t position;   /* 1-based among the parent's children of the same name */
  uint32_t line;       /* line of the start tag's '<' */
  uint32_t more;       /* a later sibling has the same name */
} element_info;

/* (parent, name) -> number of such children so far and the last one; open addressing. */
typedef struct {
  const xmlChar *name; /* NULL: empty slot (names are interned: compared by pointer) */
  uint32_t parent;
  uint32_t count;
  uint32_t last;
} sibling_slot;

/* What of an element goes into the tree JSON. */
enum tree_mode {
  MODE_NONE = 0,    /* nothing (and nothing below it) */
  MODE_FULL,        /* the element, its attributes, text and everything below */
  MODE_SCOPED_ROOT, /* the root of a scoped tree: its child elements, no text */
  MODE_SKELETON,    /* the element; children only along PatientReport/Document/RefDoc/Content */
  MODE_LEAF,        /* the element with its attributes, no children, no text */
  MODE_FACTS        /* like MODE_FULL, but only children whose names are in the fact list */
};

/*
 * Code lists the coded values are checked against while parsing (setCodeLists): each list is an
 * OID with its codes, sorted. Without a table every coded value is reported.
 */
typedef struct {
  char *oid;
  size_t oid_len;
  char **codes;
  size_t count;
} code_list;

typedef struct {
  code_list *lists;
  size_t count;
} code_table;

static void code_table_free(code_table *t) {
  for (size_t i = 0; i < t->count; i++) {
    for (size_t k = 0; k < t->lists[i].count; k++) free(t->lists[i].codes[k]);
    free(t->lists[i].codes);
    free(t->lists[i].oid);
  }
  free(t->lists);
  t->lists = NULL;
  t->count = 0;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Coded values longer than this are always handed to the rule. */
#define CODE_BUFFER 128

static int is_js_space(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0d); }

/*
 * True when the coded value may be outside its list and must go to the code-list rule: always
 * without a table; with one, unless the value is certainly fine (the code is in its list, or the
 * list is not in the table). Anything non-ASCII goes to the rule, which trims as JavaScript does.
 */
static int code_needs_check(const code_table *table, const char *v, size_t vlen, const char *s, size_t slen) {
  if (table == NULL) return 1;
  for (size_t i = 0; i < vlen; i++) if ((unsigned char)v[i] >= 0x80) return 1;
  for (size_t i = 0; i < slen; i++) if ((unsigned char)s[i] >= 0x80) return 1;
  const char *s0 = s, *s1 = s + slen;
  while (s0 < s1 && is_js_space((unsigned char)*s0)) s0++;
  while (s1 > s0 && is_js_space((unsigned char)s1[-1])) s1--;
  size_t n = (size_t)(s1 - s0);
  const code_list *list = NULL;
  /* The OIDs share their prefix (2.16.578.1.12.4.1.1.): the last character is compared first. */
  for (size_t i = 0; i < table->count && list == NULL && n > 0; i++) {
    const code_list *l = &table->lists[i];
    if (l->oid_len == n && l->oid[n - 1] == s0[n - 1] && memcmp(l->oid, s0, n) == 0) list = l;
  }
  if (list == NULL) return 0;
  const char *v0 = v, *v1 = v + vlen;
  while (v0 < v1 && is_js_space((unsigned char)*v0)) v0++;
  while (v1 > v0 && is_js_space((unsigned char)v1[-1])) v1--;
  char key_text[CODE_BUFFER];
  size_t k = (size_t)(v1 - v0);
  if (k >= sizeof key_text) return 1;
  memcpy(key_text, v0, k);
  key_text[k] = '\0';
  const char *key = key_text;
  return bsearch(&key, list->codes, list->count, sizeof(char *), compare_strings) == NULL;
}

/* An attribute value decoded into `out` (as attr_value_string does); -1 when it does not fit. */
static long decode_attr_into(char *out, size_t cap, const xmlChar *value, const xmlChar *end) {
  size_t o = 0;
  for (const xmlChar *p = value; p < end;) {
    if (o + 1 >= cap) return -1;
    if (*p == '&' && end - p >= 5 && memcmp(p, "&#38;", 5) == 0) {
      out[o++] = '&';
      p += 5;
    } else {
      out[o++] = (char)*p++;
    }
  }
  out[o] = '\0';
  return (long)o;
}

/* An element with both V and S attributes (a coded value). */
typedef struct {
  char *v;
  char *s;
  uint32_t element;
} coded_value;

typedef struct {
  error_list *errors;
  unsigned long max_depth;
  unsigned long max_elements;
  unsigned long max_attributes;
  enum fatal_kind fatal;
  char fatal_message[256];
  int fatal_line;
  int oom;
  xmlParserCtxtPtr pctxt;
  /* every element, in document order */
  element_info *elems;
  size_t nelems, cap_elems;
  sibling_slot *slots;
  size_t cap_slots, used_slots;
  /* open elements (indexes) and their tree modes; closing is deferred to the next event */
  uint32_t *open;
  unsigned char *modes;
  size_t depth, cap_open;
  int pending_pop;
  /* tree */
  int with_tree;
  const char *text_ns;
  const char *text_child;
  /* Element names kept below `text_child` in a scoped tree (none: everything). */
  char **fact_names;
  size_t fact_count;
  int scoped;
  buf_t *tree;
  u16buf_t *texts;
  ns_table *namespaces;
  int text_open;
  /* coded values (scoped trees only), filtered by the handle's code lists when it has them */
  const code_table *code_filter;
  coded_value *codes;
  size_t ncodes, cap_codes;
} stream_state;

static void silent_generic(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

/* Errors while a schema set compiles. */
static void on_structured_error(void *user, xmlErrorPtr error) {
  error_list *list = user;
  if (list == NULL || error == NULL) return;
  record_error(list, error->message, error->line, error->int2, (int)error->level, error->domain, error->code, 0);
}

/* The parser's structured errors; ignored once a limit stopped the parser. */
static void on_parse_error(void *user, xmlErrorPtr error) {
  (void)user; /* the schema plug's data, not ours: the parser context comes with the error */
  if (error == NULL) return;
  xmlParserCtxtPtr ctxt = error->ctxt;
  stream_state *st = ctxt == NULL ? NULL : ctxt->_private;
  if (st == NULL || st->fatal != FATAL_NONE) return;
  record_error(st->errors, error->message, error->line, error->int2, (int)error->level, error->domain, error->code, 0);
}

/*
 * Schema validity errors. They are raised while the validator handles an event, after our
 * callback for the same event ran: the innermost open element (closing is deferred) is the one
 * the error is about, and its start-tag line is the error's line.
 */
static void on_validity_error(void *user, xmlErrorPtr error) {
  stream_state *st = user;
  if (st == NULL || error == NULL || st->fatal != FATAL_NONE) return;
  uint32_t element = 0;
  int line = error->line;
  if (st->depth > 0) {
    element = st->open[st->depth - 1];
    line = (int)st->elems[element - 1].line;
  }
  record_error(st->errors, error->message, line, error->int2, (int)error->level, error->domain, error->code, element);
}

static int locate_line(void *ctx, const char **file, unsigned long *line) {
  xmlParserCtxtPtr ctxt = ctx;
  if (file != NULL) *file = NULL;
  if (line != NULL) *line = ctxt != NULL && ctxt->input != NULL ? (unsigned long)ctxt->input->line : 0;
  return 0;
}

static void stop(xmlParserCtxtPtr ctxt, stream_state *st, enum fatal_kind kind, int line, const char *fmt, ...) {
  if (st->fatal == FATAL_NONE) {
    st->fatal = kind;
    st->fatal_line = line;
    va_list args;
    va_start(args, fmt);
    vsnprintf(st->fatal_message, sizeof st->fatal_message, fmt, args);
    va_end(args);
  }
  xmlStopParser(ctxt);
}

static void out_of_memory(stream_state *st) {
  st->oom = 1;
  if (st->fatal == FATAL_NONE) {
    st->fatal = FATAL_TOO_LARGE;
    snprintf(st->fatal_message, sizeof st->fatal_message, "Out of memory");
  }
  xmlStopParser(st->pctxt);
}

/* Line of the '<' that opened the tag being reported (libxml's line is where the tag ends). */
static int start_tag_line(xmlParserCtxtPtr ctxt) {
  xmlParserInputPtr in = ctxt->input;
  if (in == NULL) return 0;
  int line = in->line;
  if (in->cur == NULL || in->base == NULL || in->cur <= in->base) return line;
  /* '<' cannot occur inside a start tag (not even in attribute values): the last one opened it. */
  const xmlChar *open = memrchr(in->base, '<', (size_t)(in->cur - in->base));
  if (open == NULL) return line;
  for (const xmlChar *p = open; (p = memchr(p, '\n', (size_t)(in->cur - p))) != NULL; p++) line--;
  return line;
}

/* --- tree JSON (packages/plo/src/xml/tree.ts shape) ------------------------------------------ */

static void emit_namespace(buf_t *b, ns_table *table, const xmlChar *href) {
  if (href == NULL || href[0] == '\0') {
    buf_puts(b, "\"\"");
    return;
  }
  for (unsigned i = 0; i < table->count; i++) {
    if (table->items[i] == href || xmlStrEqual(table->items[i], href)) {
      buf_put_uint(b, i);
      return;
    }
  }
  if (table->count < MAX_TREE_NAMESPACES) {
    table->items[table->count] = href;
    buf_put_uint(b, table->count++);
    return;
  }
  buf_putc(b, '"');
  buf_put_json(b, href);
  buf_putc(b, '"');
}

/*
 * An attribute value as the SAX callback gives it, as a JSON string body. Without entity
 * substitution libxml hands over a '&' (from &amp; or &#38;) as the five characters "&#38;".
 */
static void emit_attr_value(buf_t *b, const xmlChar *value, const xmlChar *end) {
  const xmlChar *p = value;
  while (p < end) {
    const xmlChar *amp = memchr(p, '&', (size_t)(end - p));
    if (amp == NULL) {
      buf_put_json_len(b, p, (size_t)(end - p));
      return;
    }
    buf_put_json_len(b, p, (size_t)(amp - p));
    buf_putc(b, '&');
    p = (end - amp >= 5 && memcmp(amp, "&#38;", 5) == 0) ? amp + 5 : amp + 1;
  }
}

/* The same value as a NUL-terminated string (malloc'd), or NULL when out of memory. */
static char *attr_value_string(const xmlChar *value, const xmlChar *end) {
  size_t n = (size_t)(end - value);
  char *out = malloc(n + 1);
  if (out == NULL) return NULL;
  decode_attr_into(out, n + 1, value, end); /* decoding never lengthens the value: it always fits */
  return out;
}

static void close_text(stream_state *st) {
  if (!st->text_open) return;
  buf_put_uint(st->tree, (unsigned long)st->texts->len);
  buf_putc(st->tree, ']');
  st->text_open = 0;
}

static void comma(buf_t *b) {
  if (b->len > 0 && b->data[b->len - 1] != '[') buf_putc(b, ',');
}

/*
 * An element opens as `[ns,"name",line,attrs` (attrs: an object, or 0 when there are none); its
 * children follow as further items (elements likewise, text runs as `[start,end]`), and `]` closes
 * it. Arrays parse faster than objects with keys in JavaScript (see treeOf in engine.ts).
 */
static void emit_open_element(stream_state *st, const xmlChar *localname, const xmlChar *uri, int nb_attributes, const xmlChar **attributes,
                              int line) {
  buf_t *b = st->tree;
  buf_putc(b, '[');
  emit_namespace(b, st->namespaces, uri);
  buf_puts(b, ",\"");
  buf_put_json(b, localname);
  buf_puts(b, "\",");
  buf_put_uint(b, (unsigned long)(line > 0 ? line : 0));
  /* A scoped tree is read by the business rules only, which read the coded-value attributes V and S. */
  int kept = 0;
  for (int i = 0; i < nb_attributes; i++) {
    const xmlChar **a = attributes + 5 * i;
    if (st->scoped && !((a[2] == NULL || a[2][0] == '\0') && (xmlStrEqual(a[0], BAD_CAST "V") || xmlStrEqual(a[0], BAD_CAST "S")))) continue;
    buf_puts(b, kept++ == 0 ? ",{" : ",");
    buf_putc(b, '"');
    if (a[2] != NULL && a[2][0] != '\0') {
      buf_putc(b, '{');
      buf_put_json(b, a[2]);
      buf_putc(b, '}');
    }
    buf_put_json(b, a[0]);
    buf_puts(b, "\":\"");
    emit_attr_value(b, a[3], a[4]);
    buf_putc(b, '"');
  }
  buf_puts(b, kept == 0 ? ",0" : "}");
}

/* Closes the element whose end tag was the previous event. */
static void apply_pop(stream_state *st) {
  if (!st->pending_pop) return;
  st->pending_pop = 0;
  if (st->depth == 0) return;
  st->depth--;
  if (st->with_tree && st->modes[st->depth] != MODE_NONE) {
    close_text(st);
    buf_putc(st->tree, ']');
  }
}

/* Scoped trees: below the root, the chain PatientReport/Document/RefDoc/Content is kept. */
static int skeleton_descends(const xmlChar *parent, const xmlChar *child) {
  return (xmlStrEqual(parent, BAD_CAST "PatientReport") && xmlStrEqual(child, BAD_CAST "Document")) ||
         (xmlStrEqual(parent, BAD_CAST "Document") && xmlStrEqual(child, BAD_CAST "RefDoc")) ||
         (xmlStrEqual(parent, BAD_CAST "RefDoc") && xmlStrEqual(child, BAD_CAST "Content"));
}

static unsigned char child_mode(stream_state *st, const xmlChar *localname) {
  if (st->depth == 0) return MODE_NONE; /* not called for the root */
  unsigned char parent_mode = st->modes[st->depth - 1];
  const xmlChar *parent_name = st->elems[st->open[st->depth - 1] - 1].name;
  switch (parent_mode) {
    case MODE_FULL: return MODE_FULL;
    case MODE_SCOPED_ROOT:
      if (!xmlStrEqual(localname, (const xmlChar *)st->text_child)) return MODE_SKELETON;
      return st->fact_count > 0 ? MODE_FACTS : MODE_FULL;
    case MODE_FACTS:
      for (size_t i = 0; i < st->fact_count; i++) {
        if (xmlStrEqual(localname, (const xmlChar *)st->fact_names[i])) return MODE_FACTS;
      }
      return MODE_NONE;
    case MODE_SKELETON:
      if (xmlStrEqual(parent_name, BAD_CAST "Content")) return MODE_LEAF;
      return skeleton_descends(parent_name, localname) ? MODE_SKELETON : MODE_NONE;
    default: return MODE_NONE;
  }
}

/* Position of a new child `name` of `parent` among same-named siblings; marks the previous one. */
static int sibling_position(stream_state *st, uint32_t parent, const xmlChar *name, uint32_t index, uint32_t *position) {
  if ((st->used_slots + 1) * 2 > st->cap_slots) {
    size_t cap = st->cap_slots == 0 ? 256 : st->cap_slots * 2;
    sibling_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) return 0;
    for (size_t i = 0; i < st->cap_slots; i++) {
      sibling_slot *s = &st->slots[i];
      if (s->name == NULL) continue;
      size_t h = (((uintptr_t)s->name >> 3) * 0x9E3779B1u ^ (size_t)s->parent * 0x85EBCA6Bu) & (cap - 1);
      while (slots[h].name != NULL) h = (h + 1) & (cap - 1);
      slots[h] = *s;
    }
    free(st->slots);
    st->slots = slots;
    st->cap_slots = cap;
  }
  size_t mask = st->cap_slots - 1;
  size_t h = (((uintptr_t)name >> 3) * 0x9E3779B1u ^ (size_t)parent * 0x85EBCA6Bu) & mask;
  for (;;) {
    sibling_slot *s = &st->slots[h];
    if (s->name == NULL) {
      s->name = name;
      s->parent = parent;
      s->count = 1;
      s->last = index;
      st->used_slots++;
      *position = 1;
      return 1;
    }
    if (s->name == name && s->parent == parent) {
      st->elems[s->last - 1].more = 1;
      s->count++;
      s->last = index;
      *position = s->count;
      return 1;
    }
    h = (h + 1) & mask;
  }
}

static const xmlChar **plain_attr(int nb_attributes, const xmlChar **attributes, const char *name) {
  for (int i = 0; i < nb_attributes; i++) {
    const xmlChar **a = attributes + 5 * i;
    if ((a[2] == NULL || a[2][0] == '\0') && xmlStrEqual(a[0], BAD_CAST name)) return a;
  }
  return NULL;
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
                             const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
  (void)namespaces;
  (void)nb_defaulted;
  xmlParserCtxtPtr ctxt = ctx;
  stream_state *st = ctxt->_private;
  if (st == NULL || st->fatal != FATAL_NONE) return;
  apply_pop(st);
  int line = start_tag_line(ctxt);
  const char *pfx = prefix == NULL ? "" : (const char *)prefix;
  const char *sep = prefix == NULL ? "" : ":";
  unsigned long depth = (unsigned long)st->depth + 1;
  if (depth > st->max_depth) {
    stop(ctxt, st, FATAL_TOO_DEEP, line, "XML document exceeds the depth limit of %lu", st->max_depth);
    return;
  }
  if ((unsigned long)st->nelems + 1 > st->max_elements) {
    stop(ctxt, st, FATAL_TOO_LARGE, line, "XML document exceeds the limit of %lu elements", st->max_elements);
    return;
  }
  if (uri != NULL && (xmlStrEqual(uri, (const xmlChar *)XINCLUDE_2001) || xmlStrEqual(uri, (const xmlChar *)XINCLUDE_2003))) {
    stop(ctxt, st, FATAL_FORBIDDEN, line, "XInclude element %.64s%s%.64s is not allowed", pfx, sep, (const char *)localname);
    return;
  }
  if ((unsigned long)nb_attributes + (unsigned long)nb_namespaces > st->max_attributes) {
    stop(ctxt, st, FATAL_TOO_LARGE, line, "Element %.64s%s%.64s exceeds the limit of %lu attributes", pfx, sep, (const char *)localname,
         st->max_attributes);
    return;
  }
  /* Index the element. */
  if (st->nelems == st->cap_elems) {
    size_t cap = st->cap_elems == 0 ? 256 : st->cap_elems * 2;
    element_info *grown = realloc(st->elems, cap * sizeof *grown);
    if (grown == NULL) { out_of_memory(st); return; }
    st->elems = grown;
    st->cap_elems = cap;
  }
  if (st->depth == st->cap_open) {
    size_t cap = st->cap_open == 0 ? 64 : st->cap_open * 2;
    uint32_t *open = realloc(st->open, cap * sizeof *open);
    if (open == NULL) { out_of_memory(st); return; }
    st->open = open;
    unsigned char *modes = realloc(st->modes, cap);
    if (modes == NULL) { out_of_memory(st); return; }
    st->modes = modes;
    st->cap_open = cap;
  }
  uint32_t index = (uint32_t)st->nelems + 1;
  uint32_t parent = st->depth == 0 ? 0 : st->open[st->depth - 1];
  uint32_t position = 1;
  st->elems[st->nelems] = (element_info){localname, parent, 1, (uint32_t)(line > 0 ? line : 0), 0};
  st->nelems++;
  if (st->depth > 0 && !sibling_position(st, parent, localname, index, &position)) { out_of_memory(st); return; }
  st->elems[index - 1].position = position;

  /* Tree. */
  unsigned char mode = MODE_NONE;
  if (st->with_tree) {
    if (st->depth == 0) {
      st->scoped = st->text_ns != NULL && uri != NULL && xmlStrEqual(uri, (const xmlChar *)st->text_ns);
      mode = st->scoped ? MODE_SCOPED_ROOT : MODE_FULL;
    } else {
      mode = child_mode(st, localname);
    }
    if (mode != MODE_NONE) {
      close_text(st);
      comma(st->tree);
      emit_open_element(st, localname, uri, nb_attributes, attributes, line);
    }
  }
  /* Coded values (scoped trees: the content's elements are not in the tree). */
  if (st->scoped) {
    const xmlChar **v = plain_attr(nb_attributes, attributes, "V");
    const xmlChar **s = v == NULL ? NULL : plain_attr(nb_attributes, attributes, "S");
    char vbuf[CODE_BUFFER], sbuf[CODE_BUFFER];
    long vlen = s == NULL ? -1 : decode_attr_into(vbuf, sizeof vbuf, v[3], v[4]);
    long slen = s == NULL ? -1 : decode_attr_into(sbuf, sizeof sbuf, s[3], s[4]);
    int doubtful = s != NULL && (vlen < 0 || slen < 0 || code_needs_check(st->code_filter, vbuf, (size_t)vlen, sbuf, (size_t)slen));
    if (doubtful) {
      if (st->ncodes == st->cap_codes) {
        size_t cap = st->cap_codes == 0 ? 64 : st->cap_codes * 2;
        coded_value *grown = realloc(st->codes, cap * sizeof *grown);
        if (grown == NULL) { out_of_memory(st); return; }
        st->codes = grown;
        st->cap_codes = cap;
      }
      coded_value *c = &st->codes[st->ncodes];
      c->v = attr_value_string(v[3], v[4]);
      c->s = attr_value_string(s[3], s[4]);
      c->element = index;
      st->ncodes++;
      if (c->v == NULL || c->s == NULL) { out_of_memory(st); return; }
    }
  }
  st->open[st->depth] = index;
  st->modes[st->depth] = mode;
  st->depth++;
}

static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
  (void)localname;
  (void)prefix;
  (void)uri;
  xmlParserCtxtPtr ctxt = ctx;
  stream_state *st = ctxt->_private;
  if (st == NULL || st->fatal != FATAL_NONE) return;
  apply_pop(st);
  st->pending_pop = 1; /* after the validator has seen this end tag */
}

static void on_characters(void *ctx, const xmlChar *ch, int len) {
  xmlParserCtxtPtr ctxt = ctx;
  stream_state *st = ctxt->_private;
  if (st == NULL || st->fatal != FATAL_NONE) return;
  apply_pop(st);
  if (!st->with_tree || st->depth == 0 || len <= 0) return;
  unsigned char mode = st->modes[st->depth - 1];
  if (mode != MODE_FULL && mode != MODE_FACTS) return;
  if (!st->text_open) {
    comma(st->tree);
    buf_putc(st->tree, '[');
    buf_put_uint(st->tree, (unsigned long)st->texts->len);
    buf_putc(st->tree, ',');
    st->text_open = 1;
  }
  u16_put_utf8(st->texts, ch, (size_t)len);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id) {
  (void)name;
  (void)external_id;
  (void)system_id;
  xmlParserCtxtPtr ctxt = ctx;
  stop(ctxt, ctxt->_private, FATAL_DTD, ctxt->input == NULL ? 0 : ctxt->input->line, "DOCTYPE is not allowed");
}

static void on_external_subset(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id) {
  (void)ctx;
  (void)name;
  (void)external_id;
  (void)system_id;
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name) {
  (void)ctx;
  /* Only the predefined entities exist (they are handled by the parser before this is asked). */
  return xmlGetPredefinedEntity(name);
}

/* A parser context whose SAX handler builds no tree: only our callbacks. */
static xmlParserCtxtPtr new_parser_context(void) {
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == NULL) return NULL;
  xmlSAXHandlerPtr sax = ctxt->sax;
  sax->startElementNs = on_start_element;
  sax->endElementNs = on_end_element;
  sax->characters = on_characters;
  sax->ignorableWhitespace = on_characters;
  sax->cdataBlock = on_characters;
  sax->internalSubset = on_internal_subset;
  sax->externalSubset = on_external_subset;
  sax->getEntity = on_get_entity;
  sax->getParameterEntity = NULL;
  sax->resolveEntity = NULL;
  sax->entityDecl = NULL;
  sax->attributeDecl = NULL;
  sax->elementDecl = NULL;
  sax->notationDecl = NULL;
  sax->unparsedEntityDecl = NULL;
  sax->reference = NULL;
  sax->comment = NULL;
  sax->processingInstruction = NULL;
  sax->startDocument = NULL;
  sax->endDocument = NULL;
  sax->setDocumentLocator = NULL;
  sax->startElement = NULL;
  sax->endElement = NULL;
  sax->serror = on_parse_error;
  sax->error = NULL;
  sax->warning = NULL;
  sax->fatalError = NULL;
  return ctxt;
}

/* Namespace-free path of an indexed element: /MsgHead/MsgInfo/Ident[2]/Id (position only when needed). */
static char *element_path(stream_state *st, uint32_t index) {
  if (index == 0 || index > st->nelems) return NULL;
  size_t depth = 0;
  for (uint32_t i = index; i != 0; i = st->elems[i - 1].parent) depth++;
  uint32_t *chain = malloc(depth * sizeof *chain);
  if (chain == NULL) return NULL;
  size_t k = depth;
  for (uint32_t i = index; i != 0; i = st->elems[i - 1].parent) chain[--k] = i;
  buf_t b = {0};
  for (k = 0; k < depth; k++) {
    element_info *e = &st->elems[chain[k] - 1];
    buf_putc(&b, '/');
    buf_puts(&b, (const char *)e->name);
    if (e->position > 1 || e->more) {
      buf_putc(&b, '[');
      buf_put_uint(&b, e->position);
      buf_putc(&b, ']');
    }
  }
  free(chain);
  if (b.failed) {
    free(b.data);
    return NULL;
  }
  return b.data;
}

/* [V, S, line, path] of every coded element, in document order. */
static void emit_codes(buf_t *b, stream_state *st) {
  buf_putc(b, '[');
  for (size_t i = 0; i < st->ncodes; i++) {
    coded_value *c = &st->codes[i];
    if (i > 0) buf_putc(b, ',');
    buf_puts(b, "[\"");
    buf_put_json(b, (const xmlChar *)c->v);
    buf_puts(b, "\",\"");
    buf_put_json(b, (const xmlChar *)c->s);
    buf_puts(b, "\",");
    buf_put_uint(b, st->elems[c->element - 1].line);
    buf_putc(b, ',');
    char *xp = element_path(st, c->element);
    if (xp == NULL) {
      b->failed = 1;
    } else {
      buf_putc(b, '"');
      buf_put_json(b, (const xmlChar *)xp);
      buf_putc(b, '"');
      free(xp);
    }
    buf_putc(b, ']');
  }
  buf_putc(b, ']');
}

static void stream_state_free(stream_state *st) {
  for (size_t i = 0; i < st->ncodes; i++) {
    free(st->codes[i].v);
    free(st->codes[i].s);
  }
  free(st->codes);
  free(st->elems);
  free(st->slots);
  free(st->open);
  free(st->modes);
}

/* ------------------------------------------------------------------------------------------ */
/* Handles                                                                                      */

typedef struct {
  xmlDocPtr driver;
  xmlSchemaPtr schema;
  xmlSchemaValidCtxtPtr vctxt;
  error_list errors;
  code_table code_lists;
  int has_code_lists;
} engine_handle;

/* Type tag of handle externals: validate() accepts only externals made by compileSchema. */
static const napi_type_tag HANDLE_TAG = {0x5a3e0c1d7f3a9c11ULL, 0x9b2f4e6a1c8d0e57ULL};

static void handle_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  engine_handle *h = data;
  if (h == NULL) return;
  errors_clear(&h->errors);
  if (h->vctxt != NULL) xmlSchemaFreeValidCtxt(h->vctxt);
  if (h->schema != NULL) xmlSchemaFree(h->schema);
  if (h->driver != NULL) xmlFreeDoc(h->driver);
  code_table_free(&h->code_lists);
  free(h);
}

/* ------------------------------------------------------------------------------------------ */
/* N-API helpers                                                                                */

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) return throw_last(env);    \
  } while (0)

static napi_value throw_last(napi_env env) {
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, NULL, info != NULL && info->error_message != NULL ? info->error_message : "N-API call failed");
  return NULL;
}

static char *get_string(napi_env env, napi_value value) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s == NULL) return NULL;
  if (napi_get_value_string_utf8(env, value, s, len + 1, &len) != napi_ok) {
    free(s);
    return NULL;
  }
  return s;
}

static napi_status set_string(napi_env env, napi_value obj, const char *key, const char *value, size_t len) {
  napi_value v;
  napi_status s = napi_create_string_utf8(env, value, len, &v);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

static napi_status set_int(napi_env env, napi_value obj, const char *key, int64_t value) {
  napi_value v;
  napi_status s = napi_create_int64(env, value, &v);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

static napi_status set_bool(napi_env env, napi_value obj, const char *key, int value) {
  napi_value v;
  napi_status s = napi_get_boolean(env, value != 0, &v);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

static const char *level_name(int level) {
  switch (level) {
    case XML_ERR_WARNING: return "warning";
    case XML_ERR_ERROR: return "error";
    case XML_ERR_FATAL: return "fatal";
    default: return "none";
  }
}

static napi_value errors_to_array(napi_env env, error_list *list) {
  napi_value array;
  if (napi_create_array_with_length(env, list->count, &array) != napi_ok) return NULL;
  for (uint32_t i = 0; i < list->count; i++) {
    collected_error *e = &list->items[i];
    napi_value obj;
    if (napi_create_object(env, &obj) != napi_ok) return NULL;
    size_t len = strlen(e->message);
    while (len > 0 && (e->message[len - 1] == '\n' || e->message[len - 1] == ' ')) len--;
    if (set_string(env, obj, "message", e->message, len) != napi_ok) return NULL;
    if (set_int(env, obj, "line", e->line) != napi_ok) return NULL;
    if (set_int(env, obj, "column", e->column) != napi_ok) return NULL;
    if (set_string(env, obj, "level", level_name(e->level), NAPI_AUTO_LENGTH) != napi_ok) return NULL;
    if (set_int(env, obj, "domain", e->domain) != napi_ok) return NULL;
    if (set_int(env, obj, "code", e->code) != napi_ok) return NULL;
    if (e->path != NULL && set_string(env, obj, "path", e->path, NAPI_AUTO_LENGTH) != napi_ok) return NULL;
    if (napi_set_element(env, array, i, obj) != napi_ok) return NULL;
  }
  return array;
}

/* ------------------------------------------------------------------------------------------ */
/* compileSchema(driverXsd: string, baseUrl: string, allowedDirs: string[]): handle            */

static void free_allowlist(allowlist *allow) {
  for (size_t i = 0; i < allow->count; i++) free(allow->dirs[i]);
  free(allow->dirs);
}

static napi_value compile_schema(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "compileSchema(driverXsd, baseUrl, allowedDirs)");
    return NULL;
  }
  bool is_array = false;
  CHECK(napi_is_array(env, argv[2], &is_array));
  if (!is_array) {
    napi_throw_type_error(env, NULL, "allowedDirs must be an array of directory paths");
    return NULL;
  }
  char *text = get_string(env, argv[0]);
  char *base = get_string(env, argv[1]);
  uint32_t ndirs = 0;
  napi_get_array_length(env, argv[2], &ndirs);
  allowlist allow = {0};
  allow.dirs = calloc(ndirs == 0 ? 1 : ndirs, sizeof(char *));
  int bad_input = text == NULL || base == NULL || allow.dirs == NULL;
  for (uint32_t i = 0; i < ndirs && !bad_input; i++) {
    napi_value item;
    char *dir = NULL;
    char real[PATH_MAX];
    if (napi_get_element(env, argv[2], i, &item) == napi_ok) dir = get_string(env, item);
    if (dir == NULL || realpath(dir, real) == NULL) {
      free(dir);
      continue; /* a directory that does not exist allows nothing */
    }
    free(dir);
    size_t n = strlen(real);
    char *canonical = malloc(n + 2);
    if (canonical == NULL) {
      bad_input = 1;
      break;
    }
    memcpy(canonical, real, n);
    if (n == 0 || canonical[n - 1] != '/') canonical[n++] = '/';
    canonical[n] = '\0';
    allow.dirs[allow.count++] = canonical;
  }
  if (bad_input) {
    free(text);
    free(base);
    free_allowlist(&allow);
    napi_throw_type_error(env, NULL, "compileSchema: invalid arguments");
    return NULL;
  }

  engine_handle *h = calloc(1, sizeof *h);
  if (h == NULL) {
    free(text);
    free(base);
    free_allowlist(&allow);
    napi_throw_error(env, NULL, "Out of memory");
    return NULL;
  }

  xmlSetGenericErrorFunc(NULL, silent_generic);
  xmlSetStructuredErrorFunc(&h->errors, on_structured_error);
  tls_allow = &allow;
  h->driver = xmlReadMemory(text, (int)strlen(text), base, "UTF-8", XML_PARSE_NONET);
  if (h->driver != NULL) {
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewDocParserCtxt(h->driver);
    if (pctxt != NULL) {
      xmlSchemaSetParserStructuredErrors(pctxt, on_structured_error, &h->errors);
      h->schema = xmlSchemaParse(pctxt);
      xmlSchemaFreeParserCtxt(pctxt);
    }
  }
  tls_allow = NULL;
  xmlSetStructuredErrorFunc(NULL, NULL);
  free(text);
  free(base);

  if (h->schema == NULL || allow.refused > 0) {
    buf_t msg = {0};
    buf_puts(&msg, "Schema set does not compile");
    if (allow.refused > 0) {
      buf_puts(&msg, "; refused to load ");
      buf_puts(&msg, allow.refused_url);
    }
    for (uint32_t i = 0; i < h->errors.count && i < 5; i++) {
      if (h->errors.items[i].level < XML_ERR_ERROR) continue;
      buf_puts(&msg, "; ");
      buf_puts(&msg, h->errors.items[i].message);
    }
    while (msg.len > 0 && msg.data[msg.len - 1] == '\n') msg.data[--msg.len] = '\0';
    napi_value error_value = NULL, message_value = NULL;
    napi_value errors = errors_to_array(env, &h->errors);
    napi_create_string_utf8(env, msg.failed || msg.data == NULL ? "Schema set does not compile" : msg.data, NAPI_AUTO_LENGTH, &message_value);
    napi_create_error(env, NULL, message_value, &error_value);
    if (error_value != NULL && errors != NULL) napi_set_named_property(env, error_value, "errors", errors);
    free(msg.data);
    free_allowlist(&allow);
    handle_free(env, h, NULL);
    if (error_value != NULL) napi_throw(env, error_value);
    return NULL;
  }
  free_allowlist(&allow);
  errors_clear(&h->errors);

  h->vctxt = xmlSchemaNewValidCtxt(h->schema);
  if (h->vctxt == NULL) {
    handle_free(env, h, NULL);
    napi_throw_error(env, NULL, "Out of memory");
    return NULL;
  }
  xmlSchemaSetValidStructuredErrors(h->vctxt, on_structured_error, &h->errors);

  napi_value external;
  if (napi_create_external(env, h, handle_free, NULL, &external) != napi_ok) {
    handle_free(env, h, NULL);
    return throw_last(env);
  }
  CHECK(napi_type_tag_object(env, external, &HANDLE_TAG));
  return external;
}

/* ------------------------------------------------------------------------------------------ */
/* setCodeLists(handle, oids: string[], codes: string[][])                                       */

static engine_handle *handle_arg(napi_env env, napi_value value) {
  engine_handle *h = NULL;
  napi_valuetype type;
  bool tagged = false;
  if (value == NULL || napi_typeof(env, value, &type) != napi_ok || type != napi_external ||
      napi_check_object_type_tag(env, value, &HANDLE_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, value, (void **)&h) != napi_ok) {
    return NULL;
  }
  return h;
}

static napi_value set_code_lists(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3] = {NULL, NULL, NULL};
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  engine_handle *h = argc < 3 ? NULL : handle_arg(env, argv[0]);
  bool a1 = false, a2 = false;
  if (h == NULL || napi_is_array(env, argv[1], &a1) != napi_ok || napi_is_array(env, argv[2], &a2) != napi_ok || !a1 || !a2) {
    napi_throw_type_error(env, NULL, "setCodeLists(handle, oids, codes)");
    return NULL;
  }
  uint32_t n = 0, m = 0;
  CHECK(napi_get_array_length(env, argv[1], &n));
  CHECK(napi_get_array_length(env, argv[2], &m));
  if (n != m) {
    napi_throw_type_error(env, NULL, "setCodeLists: one code array per OID");
    return NULL;
  }
  code_table table = {calloc(n == 0 ? 1 : n, sizeof(code_list)), 0};
  int bad = table.lists == NULL;
  for (uint32_t i = 0; i < n && !bad; i++) {
    napi_value oid_value, codes_value;
    bool is_array = false;
    uint32_t count = 0;
    if (napi_get_element(env, argv[1], i, &oid_value) != napi_ok || napi_get_element(env, argv[2], i, &codes_value) != napi_ok ||
        napi_is_array(env, codes_value, &is_array) != napi_ok || !is_array || napi_get_array_length(env, codes_value, &count) != napi_ok) {
      bad = 1;
      break;
    }
    code_list *list = &table.lists[table.count++];
    list->oid = get_string(env, oid_value);
    list->codes = calloc(count == 0 ? 1 : count, sizeof(char *));
    if (list->oid == NULL || list->codes == NULL) {
      bad = 1;
      break;
    }
    list->oid_len = strlen(list->oid);
    for (uint32_t k = 0; k < count; k++) {
      napi_value code;
      char *text = napi_get_element(env, codes_value, k, &code) == napi_ok ? get_string(env, code) : NULL;
      if (text == NULL) {
        bad = 1;
        break;
      }
      list->codes[list->count++] = text;
    }
    qsort(list->codes, list->count, sizeof(char *), compare_strings);
  }
  if (bad) {
    code_table_free(&table);
    napi_throw_type_error(env, NULL, "setCodeLists: OIDs and codes must be strings");
    return NULL;
  }
  code_table_free(&h->code_lists);
  h->code_lists = table;
  h->has_code_lists = 1;
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* validate(handle, bytes, withTree, maxDepth, maxElements, maxAttributes[, textNs, textChild])  */

static unsigned long get_limit(napi_env env, napi_value value, unsigned long fallback) {
  double d = 0;
  if (value == NULL || napi_get_value_double(env, value, &d) != napi_ok) return fallback;
  if (!(d >= 1)) return fallback;
  if (d > 4294967295.0) return 4294967295UL;
  return (unsigned long)d;
}

/* Keeps only the parser's errors (a document that is not well-formed is not judged by the schema). */
static void drop_validity_errors(error_list *list) {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < list->count; i++) {
    collected_error *e = &list->items[i];
    if (e->domain == XML_FROM_SCHEMASV) {
      free(e->message);
      free(e->path);
      continue;
    }
    list->items[kept++] = *e;
  }
  list->count = kept;
}

static napi_value validate(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  engine_handle *h = NULL;
  napi_valuetype type;
  bool tagged = false;
  if (argc < 2 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external ||
      napi_check_object_type_tag(env, argv[0], &HANDLE_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || h == NULL) {
    napi_throw_type_error(env, NULL, "validate(handle, bytes, withTree): handle expected");
    return NULL;
  }
  bool is_typed = false;
  void *data = NULL;
  size_t length = 0;
  CHECK(napi_is_typedarray(env, argv[1], &is_typed));
  if (is_typed) {
    napi_typedarray_type ttype;
    napi_value arraybuffer;
    size_t offset;
    CHECK(napi_get_typedarray_info(env, argv[1], &ttype, &length, &data, &arraybuffer, &offset));
    if (ttype != napi_uint8_array) is_typed = false;
  }
  if (!is_typed || length > INT_MAX) {
    napi_throw_type_error(env, NULL, "validate: bytes must be a Uint8Array of at most 2 GiB");
    return NULL;
  }
  bool with_tree = false;
  if (argc > 2) napi_get_value_bool(env, argv[2], &with_tree);

  buf_t tree = {0};
  buf_t codes = {0};
  u16buf_t texts = {0};
  ns_table namespaces = {{0}, 0};
  stream_state st = {0};
  st.errors = &h->errors;
  st.max_depth = get_limit(env, argc > 3 ? argv[3] : NULL, 128);
  st.max_elements = get_limit(env, argc > 4 ? argv[4] : NULL, 2000000);
  st.max_attributes = get_limit(env, argc > 5 ? argv[5] : NULL, 256);
  st.with_tree = with_tree;
  st.code_filter = h->has_code_lists ? &h->code_lists : NULL;
  st.tree = &tree;
  st.texts = &texts;
  st.namespaces = &namespaces;
  errors_clear(&h->errors);
  /*
   * Text scope (optional): when the root element is in namespace argv[6], only the subtrees of
   * the root's children named argv[7] carry text in the tree (free text never crosses over).
   */
  char *text_ns = NULL;
  char *text_child = NULL;
  if (argc > 7 && with_tree) {
    napi_valuetype t6 = napi_undefined, t7 = napi_undefined;
    napi_typeof(env, argv[6], &t6);
    napi_typeof(env, argv[7], &t7);
    if (t6 == napi_string && t7 == napi_string) {
      text_ns = get_string(env, argv[6]);
      text_child = get_string(env, argv[7]);
      if (text_ns == NULL || text_child == NULL) {
        free(text_ns);
        free(text_child);
        napi_throw_error(env, NULL, "Out of memory");
        return NULL;
      }
    }
  }
  st.text_ns = text_ns;
  st.text_child = text_child;
  /* Fact names (optional, with a text scope): the element names kept below the text child. */
  if (text_child != NULL && argc > 8) {
    bool names_array = false;
    uint32_t count = 0;
    if (napi_is_array(env, argv[8], &names_array) == napi_ok && names_array && napi_get_array_length(env, argv[8], &count) == napi_ok && count > 0) {
      st.fact_names = calloc(count, sizeof(char *));
      for (uint32_t i = 0; st.fact_names != NULL && i < count; i++) {
        napi_value item;
        char *name = napi_get_element(env, argv[8], i, &item) == napi_ok ? get_string(env, item) : NULL;
        if (name != NULL) st.fact_names[st.fact_count++] = name;
      }
    }
  }
  if (with_tree) {
    /* Reserve once instead of growing by doubling: structure JSON and text are each below the size. */
    buf_reserve(&tree, length < 4096 ? 4096 : length);
    u16_reserve(&texts, length < 4096 ? 4096 : length);
  }

  /*
   * A fresh parser context (and dictionary) for every document: libxml 2.9's xmlCtxtReset does not
   * clear everything (e.g. the namespace stack of a parse stopped early), and a document must
   * never see state left by another sender's document.
   */
  xmlParserCtxtPtr pctxt = new_parser_context();
  if (pctxt == NULL) {
    for (size_t i = 0; i < st.fact_count; i++) free(st.fact_names[i]);
    free(st.fact_names);
    free(text_ns);
    free(text_child);
    free(tree.data);
    free(texts.data);
    napi_throw_error(env, NULL, "Out of memory");
    return NULL;
  }
  st.pctxt = pctxt;
  /* libxml's own depth guard must not be stricter than ours (ours runs first). */
  if (st.max_depth > LIBXML_DEFAULT_MAX_DEPTH) xmlParserMaxDepth = (unsigned int)st.max_depth;
  else xmlParserMaxDepth = LIBXML_DEFAULT_MAX_DEPTH;

  xmlSetGenericErrorFunc(NULL, silent_generic);
  xmlSetStructuredErrorFunc(NULL, NULL);
  tls_allow = NULL;
  int parsed = 0;
  int valid = 0;
  int failed = 0;
  if (length > 0) {
    xmlCtxtUseOptions(pctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    xmlParserInputBufferPtr input = xmlParserInputBufferCreateMem((const char *)data, (int)length, XML_CHAR_ENCODING_NONE);
    xmlParserInputPtr stream = input == NULL ? NULL : xmlNewIOInputStream(pctxt, input, XML_CHAR_ENCODING_NONE);
    if (stream == NULL) {
      if (input != NULL) xmlFreeParserInputBuffer(input);
      failed = 1;
    } else {
      inputPush(pctxt, stream);
      pctxt->_private = &st;
      /* The validator sees the same events, after our callbacks (see on_validity_error). */
      xmlSchemaSetValidStructuredErrors(h->vctxt, on_validity_error, &st);
      xmlSchemaValidateSetLocator(h->vctxt, locate_line, pctxt);
      xmlSchemaSAXPlugPtr plug = xmlSchemaSAXPlug(h->vctxt, &pctxt->sax, &pctxt->userData);
      if (plug == NULL) {
        failed = 1;
      } else {
        /* The plug's handler replaces ours for the calls it does not split: parser errors. */
        pctxt->sax->serror = on_parse_error;
        pctxt->sax->error = NULL;
        pctxt->sax->warning = NULL;
        pctxt->sax->fatalError = NULL;
        xmlParseDocument(pctxt);
        parsed = 1;
        apply_pop(&st);
        valid = xmlSchemaIsValid(h->vctxt) == 1;
        xmlSchemaSAXUnplug(plug);
      }
      xmlSchemaValidateSetLocator(h->vctxt, NULL, NULL);
      xmlSchemaSetValidStructuredErrors(h->vctxt, on_structured_error, &h->errors);
      pctxt->_private = NULL;
    }
  }
  int well_formed = parsed && st.fatal == FATAL_NONE && pctxt->wellFormed && pctxt->nsWellFormed;
  int had_input = length > 0;
  if (well_formed && st.nelems == 0) {
    well_formed = 0;
    record_error(&h->errors, "XML document has no root element", 1, 0, XML_ERR_FATAL, XML_FROM_PARSER, XML_ERR_DOCUMENT_EMPTY, 0);
  }
  if (!well_formed) {
    valid = 0;
    drop_validity_errors(&h->errors);
  }
  if (!well_formed && st.fatal == FATAL_NONE && h->errors.count == 0) {
    record_error(&h->errors, "XML document is not well-formed", had_input ? 1 : 0, 0, XML_ERR_FATAL, XML_FROM_PARSER, XML_ERR_INTERNAL_ERROR, 0);
  }
  /* Paths of the errors about elements and the coded values (needs the whole index). */
  for (uint32_t i = 0; i < h->errors.count; i++) {
    collected_error *e = &h->errors.items[i];
    if (e->element != 0) e->path = element_path(&st, e->element);
  }
  if (well_formed && with_tree && st.scoped) emit_codes(&codes, &st);
  failed = failed || st.oom;
  free(text_ns);
  free(text_child);
  for (size_t i = 0; i < st.fact_count; i++) free(st.fact_names[i]);
  free(st.fact_names);
  st.fact_names = NULL;
  st.fact_count = 0;

  napi_value result = NULL;
  napi_value namespace_array = NULL;
  napi_value tree_value = NULL;
  napi_value texts_value = NULL;
  napi_value codes_value = NULL;
  int napi_failed = failed;
  if (!napi_failed && (napi_create_object(env, &result) != napi_ok || napi_create_array_with_length(env, namespaces.count, &namespace_array) != napi_ok)) {
    napi_failed = 1;
  }
  /* Namespace URIs live in the parser's dictionary: make them strings before it is freed. */
  for (unsigned i = 0; i < namespaces.count && !napi_failed; i++) {
    napi_value uri;
    if (napi_create_string_utf8(env, (const char *)namespaces.items[i], NAPI_AUTO_LENGTH, &uri) != napi_ok ||
        napi_set_element(env, namespace_array, i, uri) != napi_ok) {
      napi_failed = 1;
    }
  }
  if (!napi_failed && well_formed && with_tree) {
    if (tree.failed || texts.failed || codes.failed || tree.data == NULL) {
      napi_failed = 1;
    } else if (codes.data != NULL && napi_create_string_latin1(env, codes.data, codes.len, &codes_value) != napi_ok) {
      napi_failed = 1;
    } else if (napi_create_string_latin1(env, tree.data, tree.len, &tree_value) != napi_ok) {
      napi_failed = 1;
    } else if (texts.max < 0x100) {
      /* Narrow in place: every code unit fits a byte. */
      char *narrow = (char *)texts.data;
      for (size_t i = 0; i < texts.len; i++) narrow[i] = (char)texts.data[i];
      napi_failed = napi_create_string_latin1(env, texts.len == 0 || narrow == NULL ? "" : narrow, texts.len, &texts_value) != napi_ok;
    } else {
      napi_failed = napi_create_string_utf16(env, (const char16_t *)texts.data, texts.len, &texts_value) != napi_ok;
    }
  }
  stream_state_free(&st);
  xmlFreeParserCtxt(pctxt);
  free(tree.data);
  free(codes.data);
  free(texts.data);
  if (napi_failed) {
    errors_clear(&h->errors);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, NULL, "Out of memory");
    return NULL;
  }

  napi_value errors = errors_to_array(env, &h->errors);
  int dropped = (int)h->errors.dropped;
  errors_clear(&h->errors);
  if (errors == NULL) return throw_last(env);
  CHECK(set_bool(env, result, "wellFormed", well_formed));
  CHECK(set_bool(env, result, "valid", valid));
  CHECK(napi_set_named_property(env, result, "errors", errors));
  if (dropped > 0) CHECK(set_int(env, result, "droppedErrors", dropped));
  if (st.fatal != FATAL_NONE) {
    napi_value fatal;
    CHECK(napi_create_object(env, &fatal));
    CHECK(set_string(env, fatal, "kind", fatal_names[st.fatal], NAPI_AUTO_LENGTH));
    CHECK(set_string(env, fatal, "message", st.fatal_message, NAPI_AUTO_LENGTH));
    if (st.fatal_line > 0) CHECK(set_int(env, fatal, "line", st.fatal_line));
    CHECK(napi_set_named_property(env, result, "fatal", fatal));
  }
  if (tree_value != NULL) {
    CHECK(napi_set_named_property(env, result, "tree", tree_value));
    CHECK(napi_set_named_property(env, result, "texts", texts_value));
    CHECK(napi_set_named_property(env, result, "namespaces", namespace_array));
    if (codes_value != NULL) CHECK(napi_set_named_property(env, result, "codes", codes_value));
  }
  return result;
}

/* ------------------------------------------------------------------------------------------ */

NAPI_MODULE_INIT() {
  xmlInitParser();
  if (default_loader == NULL) {
    default_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(locked_loader);
  }
  napi_property_descriptor props[] = {
      {"compileSchema", NULL, compile_schema, NULL, NULL, NULL, napi_enumerable, NULL},
      {"validate", NULL, validate, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setCodeLists", NULL, set_code_lists, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
