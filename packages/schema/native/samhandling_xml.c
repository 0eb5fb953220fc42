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

static void buf_put_json(buf_t *b, const xmlChar *s) {
  if (s == NULL) return;
  const unsigned char *p = (const unsigned char *)s;
  const unsigned char *run = p;
  for (;;) {
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
      /* libxml guarantees well-formed UTF-8; stop at a NUL or a truncated sequence regardless. */
      unsigned int cp;
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
      p++;
      for (int i = 0; i < extra; i++, p++) {
        if ((*p & 0xC0) != 0x80) {
          cp = 0xFFFD;
          break;
        }
        cp = (cp << 6) | (*p & 0x3F);
      }
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

/* Appends UTF-8 (well-formed, from libxml) as UTF-16. */
static void u16_put_utf8(u16buf_t *t, const xmlChar *s) {
  size_t n = strlen((const char *)s);
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
    p++;
    for (int i = 0; i < extra; i++, p++) {
      if (p >= end || (*p & 0xC0) != 0x80) {
        cp = 0xFFFD;
        break;
      }
      cp = (cp << 6) | (*p & 0x3F);
    }
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

/* Start line of an element recorded while parsing (see on_start_element), else libxml's line. */
static int element_line(xmlNodePtr node) {
  if (node == NULL || node->type != XML_ELEMENT_NODE) return 0;
  intptr_t recorded = (intptr_t)node->_private;
  if (recorded > 0 && recorded <= INT_MAX) return (int)recorded;
  return (int)xmlGetLineNo(node);
}

/* Namespace-free path of an element: /MsgHead/MsgInfo/Ident[2]/Id (position only when needed). */
static char *element_path(xmlNodePtr node) {
  if (node != NULL && node->type == XML_ATTRIBUTE_NODE) node = node->parent;
  if (node == NULL || node->type != XML_ELEMENT_NODE) return NULL;
  /* Collect ancestors (bounded by the depth limit applied while parsing). */
  size_t depth = 0;
  for (xmlNodePtr n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) depth++;
  xmlNodePtr *chain = malloc(depth * sizeof *chain);
  if (chain == NULL) return NULL;
  size_t i = depth;
  for (xmlNodePtr n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) chain[--i] = n;
  buf_t b = {0};
  for (i = 0; i < depth; i++) {
    xmlNodePtr n = chain[i];
    unsigned long position = 1;
    int more = 0;
    for (xmlNodePtr s = n->prev; s != NULL; s = s->prev) {
      if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, n->name)) position++;
    }
    for (xmlNodePtr s = n->next; s != NULL && !more; s = s->next) {
      if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, n->name)) more = 1;
    }
    buf_putc(&b, '/');
    buf_puts(&b, (const char *)n->name);
    if (position > 1 || more) {
      buf_putc(&b, '[');
      buf_put_uint(&b, position);
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

static void record_error(error_list *list, const char *message, int line, int column, int level, int domain, int code, xmlNodePtr node) {
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
  int node_line = element_line(node != NULL && node->type == XML_ATTRIBUTE_NODE ? node->parent : node);
  e->line = node_line > 0 ? node_line : line;
  e->column = column;
  e->level = level;
  e->domain = domain;
  e->code = code;
  e->path = element_path(node);
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
/* Parsing with limits                                                                          */

enum fatal_kind { FATAL_NONE = 0, FATAL_TOO_DEEP, FATAL_TOO_LARGE, FATAL_FORBIDDEN, FATAL_DTD };

static const char *fatal_names[] = {"", "TOO_DEEP", "TOO_LARGE", "FORBIDDEN_CONSTRUCT", "DTD_FORBIDDEN"};

typedef struct {
  error_list *errors;
  unsigned long max_depth;
  unsigned long max_elements;
  unsigned long max_attributes;
  unsigned long elements;
  enum fatal_kind fatal;
  char fatal_message[256];
  int fatal_line;
} parse_state;

static void silent_generic(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

static void on_structured_error(void *user, xmlErrorPtr error) {
  error_list *list = user;
  if (list == NULL || error == NULL) return;
  record_error(list, error->message, error->line, error->int2, (int)error->level, error->domain, error->code, (xmlNodePtr)error->node);
}

/* The parser's structured errors; ignored once a limit stopped the parser. */
static void on_parse_error(void *user, xmlErrorPtr error) {
  xmlParserCtxtPtr ctxt = user;
  parse_state *st = ctxt == NULL ? NULL : ctxt->_private;
  if (st == NULL || st->fatal != FATAL_NONE || error == NULL) return;
  record_error(st->errors, error->message, error->line, error->int2, (int)error->level, error->domain, error->code, NULL);
}

static void stop(xmlParserCtxtPtr ctxt, parse_state *st, enum fatal_kind kind, int line, const char *fmt, ...) {
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

/* Line of the '<' that opened the tag being reported (libxml's line is where the tag ends). */
static int start_tag_line(xmlParserCtxtPtr ctxt) {
  xmlParserInputPtr in = ctxt->input;
  if (in == NULL) return 0;
  int line = in->line;
  const xmlChar *p = in->cur;
  while (p != NULL && in->base != NULL && p > in->base) {
    p--;
    if (*p == '<') return line;
    if (*p == '\n') line--;
  }
  return in->line;
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
                             const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
  xmlParserCtxtPtr ctxt = ctx;
  parse_state *st = ctxt->_private;
  int line = start_tag_line(ctxt);
  const char *pfx = prefix == NULL ? "" : (const char *)prefix;
  const char *sep = prefix == NULL ? "" : ":";
  st->elements++;
  unsigned long depth = (unsigned long)ctxt->nodeNr + 1;
  if (depth > st->max_depth) {
    stop(ctxt, st, FATAL_TOO_DEEP, line, "XML document exceeds the depth limit of %lu", st->max_depth);
    return;
  }
  if (st->elements > st->max_elements) {
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
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted, attributes);
  if (ctxt->node != NULL && line > 0) ctxt->node->_private = (void *)(intptr_t)line;
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

static xmlParserCtxtPtr new_parser_context(void) {
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == NULL) return NULL;
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = on_external_subset;
  ctxt->sax->getEntity = on_get_entity;
  ctxt->sax->serror = on_parse_error;
  ctxt->sax->error = NULL;
  ctxt->sax->warning = NULL;
  return ctxt;
}

/* ------------------------------------------------------------------------------------------ */
/* Tree as JSON (packages/plo/src/xml/tree.ts shape)                                            */

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

/* Concatenated text of an attribute's value nodes, as a JSON string body. */
static void emit_attr_value(buf_t *b, xmlAttrPtr a) {
  for (xmlNodePtr v = a->children; v != NULL; v = v->next) {
    if (v->type == XML_TEXT_NODE || v->type == XML_CDATA_SECTION_NODE) buf_put_json(b, v->content);
  }
}

static void emit_open_element(buf_t *b, ns_table *table, xmlNodePtr node) {
  buf_puts(b, "{\"ns\":");
  emit_namespace(b, table, node->ns == NULL ? NULL : node->ns->href);
  buf_puts(b, ",\"name\":\"");
  buf_put_json(b, node->name);
  buf_puts(b, "\",\"line\":");
  buf_put_uint(b, (unsigned long)element_line(node));
  buf_puts(b, ",\"attrs\":{");
  int first = 1;
  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
    if (!first) buf_putc(b, ',');
    first = 0;
    buf_putc(b, '"');
    if (a->ns != NULL && a->ns->href != NULL && a->ns->href[0] != '\0') {
      buf_putc(b, '{');
      buf_put_json(b, a->ns->href);
      buf_putc(b, '}');
    }
    buf_put_json(b, a->name);
    buf_puts(b, "\":\"");
    emit_attr_value(b, a);
    buf_putc(b, '"');
  }
  buf_puts(b, "},\"children\":[");
}

/*
 * Emits the element tree rooted at `root` (iteratively). Text and CDATA children are merged into
 * one text node until the next element start or end; comments and processing instructions are
 * dropped (they do not split text). Returns 0 when a limit is exceeded (defence in depth: the
 * parser enforces them first).
 */
static int emit_tree(buf_t *b, u16buf_t *texts, ns_table *table, xmlNodePtr root, unsigned long max_depth, unsigned long max_elements) {
  unsigned long depth = 1;
  unsigned long elements = 1;
  int text_open = 0;
#define CLOSE_TEXT()                                  \
  do {                                                \
    if (text_open) {                                  \
      buf_put_uint(b, (unsigned long)texts->len);     \
      buf_putc(b, ']');                               \
    }                                                 \
    text_open = 0;                                    \
  } while (0)
  emit_open_element(b, table, root);
  xmlNodePtr node = root->children;
  xmlNodePtr parent = root;
  while (parent != NULL) {
    if (node == NULL) {
      /* End of `parent`'s children: close it and continue with its next sibling. */
      CLOSE_TEXT();
      buf_puts(b, "]}");
      if (parent == root) break;
      node = parent->next;
      parent = parent->parent;
      depth--;
      continue;
    }
    switch (node->type) {
      case XML_ELEMENT_NODE:
        CLOSE_TEXT();
        if (++depth > max_depth || ++elements > max_elements) return 0;
        if (b->len > 0 && b->data[b->len - 1] != '[') buf_putc(b, ',');
        emit_open_element(b, table, node);
        parent = node;
        node = node->children;
        continue;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (node->content != NULL && node->content[0] != '\0') {
          if (!text_open) {
            if (b->data[b->len - 1] != '[') buf_putc(b, ',');
            buf_putc(b, '[');
            buf_put_uint(b, (unsigned long)texts->len);
            buf_putc(b, ',');
            text_open = 1;
          }
          u16_put_utf8(texts, node->content);
        }
        break;
      default:
        break;
    }
    node = node->next;
  }
#undef CLOSE_TEXT
  return 1;
}

/*
 * Scoped tree ("facts") of a MsgHead document, for the business rules: the root; every root child
 * named `text_child` (MsgInfo) whole, with text; of the other root children only the chain
 * PatientReport/Document/RefDoc/Content down to the content roots (elements without children or
 * text). Same-named siblings are always kept together (what is kept depends only on the names of
 * an element and its parent), so positional paths computed on this tree are those of the full
 * document. Free text of the content never leaves libxml.
 */
static int skeleton_descends(const xmlChar *parent, const xmlChar *child) {
  return (xmlStrEqual(parent, BAD_CAST "PatientReport") && xmlStrEqual(child, BAD_CAST "Document")) ||
         (xmlStrEqual(parent, BAD_CAST "Document") && xmlStrEqual(child, BAD_CAST "RefDoc")) ||
         (xmlStrEqual(parent, BAD_CAST "RefDoc") && xmlStrEqual(child, BAD_CAST "Content"));
}

/* Bounded recursion: at most PatientReport/Document/RefDoc/Content/child below the root. */
static void emit_skeleton(buf_t *b, ns_table *table, xmlNodePtr node, int leaf) {
  emit_open_element(b, table, node);
  if (!leaf) {
    int first = 1;
    int content = xmlStrEqual(node->name, BAD_CAST "Content");
    for (xmlNodePtr c = node->children; c != NULL; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (!content && !skeleton_descends(node->name, c->name)) continue;
      if (!first) buf_putc(b, ',');
      first = 0;
      emit_skeleton(b, table, c, content);
    }
  }
  buf_puts(b, "]}");
}

static int emit_scoped(buf_t *b, u16buf_t *texts, ns_table *table, xmlNodePtr root, unsigned long max_depth, unsigned long max_elements,
                       const xmlChar *text_child) {
  emit_open_element(b, table, root);
  int first = 1;
  for (xmlNodePtr c = root->children; c != NULL; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!first) buf_putc(b, ',');
    first = 0;
    if (xmlStrEqual(c->name, text_child)) {
      if (!emit_tree(b, texts, table, c, max_depth > 1 ? max_depth - 1 : 1, max_elements)) return 0;
    } else {
      emit_skeleton(b, table, c, 0);
    }
  }
  buf_puts(b, "]}");
  return 1;
}

/* The value of an attribute without namespace, or NULL. */
static xmlAttrPtr plain_attr(xmlNodePtr node, const char *name) {
  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
    if ((a->ns == NULL || a->ns->href == NULL || a->ns->href[0] == '\0') && xmlStrEqual(a->name, BAD_CAST name)) return a;
  }
  return NULL;
}

/*
 * Every element with both V and S attributes (coded values), as a JSON array of
 * [V, S, line, path], in the order of the code-list rule's walk (pre-order, last child first).
 * Returns 0 when a limit is exceeded (defence in depth).
 */
static int emit_codes(buf_t *b, xmlNodePtr root, unsigned long max_depth, unsigned long max_elements) {
  typedef struct {
    xmlNodePtr node;
    unsigned long depth;
  } item;
  size_t cap = 64, n = 0;
  item *stack = malloc(cap * sizeof *stack);
  if (stack == NULL) {
    b->failed = 1;
    return 1;
  }
  unsigned long elements = 0;
  int first = 1;
  int ok = 1;
  buf_putc(b, '[');
  stack[n++] = (item){root, 1};
  while (n > 0 && ok) {
    item it = stack[--n];
    if (it.depth > max_depth || ++elements > max_elements) {
      ok = 0;
      break;
    }
    for (xmlNodePtr c = it.node->children; c != NULL; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (n == cap) {
        item *grown = realloc(stack, cap * 2 * sizeof *stack);
        if (grown == NULL) {
          b->failed = 1;
          ok = 0;
          break;
        }
        stack = grown;
        cap *= 2;
      }
      stack[n++] = (item){c, it.depth + 1};
    }
    xmlAttrPtr v = plain_attr(it.node, "V");
    xmlAttrPtr sys = v == NULL ? NULL : plain_attr(it.node, "S");
    if (sys == NULL) continue;
    if (!first) buf_putc(b, ',');
    first = 0;
    buf_puts(b, "[\"");
    emit_attr_value(b, v);
    buf_puts(b, "\",\"");
    emit_attr_value(b, sys);
    buf_puts(b, "\",");
    buf_put_uint(b, (unsigned long)element_line(it.node));
    buf_putc(b, ',');
    char *xp = element_path(it.node);
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
  free(stack);
  buf_putc(b, ']');
  return ok || b->failed;
}

/* ------------------------------------------------------------------------------------------ */
/* Handles                                                                                      */

typedef struct {
  xmlDocPtr driver;
  xmlSchemaPtr schema;
  xmlSchemaValidCtxtPtr vctxt;
  error_list errors;
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
/* validate(handle, bytes, withTree, maxDepth, maxElements, maxAttributes)                       */

static unsigned long get_limit(napi_env env, napi_value value, unsigned long fallback) {
  double d = 0;
  if (value == NULL || napi_get_value_double(env, value, &d) != napi_ok) return fallback;
  if (!(d >= 1)) return fallback;
  if (d > 4294967295.0) return 4294967295UL;
  return (unsigned long)d;
}

static napi_value validate(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
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

  parse_state st = {0};
  st.errors = &h->errors;
  st.max_depth = get_limit(env, argc > 3 ? argv[3] : NULL, 128);
  st.max_elements = get_limit(env, argc > 4 ? argv[4] : NULL, 2000000);
  st.max_attributes = get_limit(env, argc > 5 ? argv[5] : NULL, 256);
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

  /*
   * A fresh parser context (and dictionary) for every document: libxml 2.9's xmlCtxtReset does not
   * clear everything (e.g. the namespace stack of a parse stopped early), and a document must
   * never see state left by another sender's document.
   */
  xmlParserCtxtPtr pctxt = new_parser_context();
  if (pctxt == NULL) {
    free(text_ns);
    free(text_child);
    napi_throw_error(env, NULL, "Out of memory");
    return NULL;
  }
  /* libxml's own depth guard must not be stricter than ours (ours runs first). */
  if (st.max_depth > LIBXML_DEFAULT_MAX_DEPTH) xmlParserMaxDepth = (unsigned int)st.max_depth;
  else xmlParserMaxDepth = LIBXML_DEFAULT_MAX_DEPTH;

  xmlSetGenericErrorFunc(NULL, silent_generic);
  xmlSetStructuredErrorFunc(NULL, NULL);
  tls_allow = NULL;
  pctxt->_private = &st;
  xmlDocPtr doc = length == 0 ? NULL : xmlCtxtReadMemory(pctxt, (const char *)data, (int)length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
  int well_formed = doc != NULL && st.fatal == FATAL_NONE && pctxt->wellFormed && pctxt->nsWellFormed;
  int had_input = pctxt->input != NULL;
  pctxt->_private = NULL;
  xmlFreeParserCtxt(pctxt);
  if (doc != NULL && st.fatal == FATAL_NONE && (doc->intSubset != NULL || doc->extSubset != NULL)) {
    st.fatal = FATAL_DTD;
    snprintf(st.fatal_message, sizeof st.fatal_message, "DOCTYPE is not allowed");
    well_formed = 0;
  }
  xmlNodePtr root = doc == NULL ? NULL : xmlDocGetRootElement(doc);
  if (well_formed && root == NULL) {
    well_formed = 0;
    record_error(&h->errors, "XML document has no root element", 1, 0, XML_ERR_FATAL, XML_FROM_PARSER, XML_ERR_DOCUMENT_EMPTY, NULL);
  }
  if (!well_formed && st.fatal == FATAL_NONE && h->errors.count == 0) {
    record_error(&h->errors, "XML document is not well-formed", had_input ? 1 : 0, 0, XML_ERR_FATAL, XML_FROM_PARSER,
                 XML_ERR_INTERNAL_ERROR, NULL);
  }

  buf_t tree = {0};
  buf_t codes = {0};
  u16buf_t texts = {0};
  ns_table namespaces = {{0}, 0};
  int valid = 0;
  if (well_formed) {
    /* Reserve once instead of growing by doubling: structure JSON and text are each below the size. */
    const xmlChar *scope = NULL;
    if (text_ns != NULL && root->ns != NULL && root->ns->href != NULL && xmlStrEqual(root->ns->href, (const xmlChar *)text_ns))
      scope = (const xmlChar *)text_child;
    if (with_tree && scope == NULL) {
      buf_reserve(&tree, length);
      u16_reserve(&texts, length);
    }
    int emitted = 1;
    if (with_tree && scope != NULL) {
      emitted = emit_scoped(&tree, &texts, &namespaces, root, st.max_depth, st.max_elements, scope) &&
                emit_codes(&codes, root, st.max_depth, st.max_elements);
    } else if (with_tree) {
      emitted = emit_tree(&tree, &texts, &namespaces, root, st.max_depth, st.max_elements);
    }
    if (!emitted) {
      st.fatal = FATAL_TOO_LARGE;
      snprintf(st.fatal_message, sizeof st.fatal_message, "XML document exceeds the depth or element limit");
      well_formed = 0;
    }
  }
  if (well_formed) {
    int rc = xmlSchemaValidateDoc(h->vctxt, doc);
    valid = rc == 0;
  }
  free(text_ns);
  free(text_child);
  napi_value result;
  napi_value namespace_array = NULL;
  if (napi_create_object(env, &result) != napi_ok || napi_create_array_with_length(env, namespaces.count, &namespace_array) != napi_ok) {
    if (doc != NULL) xmlFreeDoc(doc);
    free(tree.data);
    free(codes.data);
    free(texts.data);
    errors_clear(&h->errors);
    return throw_last(env);
  }
  for (unsigned i = 0; i < namespaces.count; i++) {
    napi_value uri;
    if (napi_create_string_utf8(env, (const char *)namespaces.items[i], NAPI_AUTO_LENGTH, &uri) != napi_ok ||
        napi_set_element(env, namespace_array, i, uri) != napi_ok) {
      if (doc != NULL) xmlFreeDoc(doc);
      free(tree.data);
      free(codes.data);
      free(texts.data);
      errors_clear(&h->errors);
      return throw_last(env);
    }
  }
  if (doc != NULL) xmlFreeDoc(doc);

  /* The tree's strings first, so that the buffers are freed on every path below. */
  napi_value tree_value = NULL;
  napi_value texts_value = NULL;
  napi_value codes_value = NULL;
  int tree_failed = 0;
  if (well_formed && with_tree) {
    if (tree.failed || texts.failed || codes.failed || tree.data == NULL) {
      tree_failed = 1;
    } else if (codes.data != NULL && napi_create_string_latin1(env, codes.data, codes.len, &codes_value) != napi_ok) {
      tree_failed = 1;
    } else if (napi_create_string_latin1(env, tree.data, tree.len, &tree_value) != napi_ok) {
      tree_failed = 1;
    } else if (texts.max < 0x100) {
      /* Narrow in place: every code unit fits a byte. */
      char *narrow = (char *)texts.data;
      for (size_t i = 0; i < texts.len; i++) narrow[i] = (char)texts.data[i];
      tree_failed = napi_create_string_latin1(env, texts.len == 0 ? "" : narrow, texts.len, &texts_value) != napi_ok;
    } else {
      tree_failed = napi_create_string_utf16(env, (const char16_t *)texts.data, texts.len, &texts_value) != napi_ok;
    }
  }
  free(tree.data);
  free(codes.data);
  free(texts.data);
  if (tree_failed) {
    errors_clear(&h->errors);
    napi_throw_error(env, NULL, "Out of memory");
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
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
