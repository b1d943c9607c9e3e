/* The offset map: from a normalized byte offset back to the input file.
 *
 * Two forms. The identity map (clean UTF-8 went through unchanged) stores
 * nothing per character: byte offsets are the same, and character offsets
 * are counted from a checkpoint every 4 KiB. The general map stores, per
 * normalized character, its byte offset and the range of original characters
 * it came from; original characters keep their byte offsets, so every
 * character of an expansion (℃ -> °C) maps to the span of the one original. */
#include "tokenizer/normalize_map.h"

#include <string.h>

ZhsegNormalized *nz_result_new(guint64 base, guint64 base_char)
{
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status))
    return NULL;
  ZhsegNormalized *r = g_new0(ZhsegNormalized, 1);
  r->base = base;
  r->base_char = base_char;
  r->nfkc = nfkc;
  return r;
}

/* Characters (UTF-8 lead bytes) in s[0..n), eight bytes at a time: a
 * continuation byte is 10xxxxxx. */
static guint64 count_chars(const guchar *s, gsize n)
{
  guint64 count = 0;
  gsize i = 0;
  for (; i + 8 <= n; i += 8) {
    guint64 x;
    memcpy(&x, s + i, 8);
    guint64 cont = x & ~(x << 1) & G_GUINT64_CONSTANT(0x8080808080808080);
    count += 8 - (guint64)__builtin_popcountll(cont);
  }
  for (; i < n; i++)
    count += (s[i] & 0xC0) != 0x80;
  return count;
}

void nz_result_set_identity(ZhsegNormalized *r, const char *bytes, gsize len, guint64 n_chars)
{
  r->identity = TRUE;
  r->text = g_malloc(len + 1);
  memcpy(r->text, bytes, len);
  r->text[len] = '\0';
  r->len = len;
  gsize nck = len / NZ_CKPT_BYTES + 1;
  r->ckpt = g_new(guint64, nck);
  guint64 count = 0;
  const guchar *s = (const guchar *)r->text;
  for (gsize k = 0; k < nck; k++) {
    r->ckpt[k] = count;
    gsize b = k * NZ_CKPT_BYTES, e = MIN(len, b + NZ_CKPT_BYTES);
    count += count_chars(s + b, e - b);
  }
  r->n_orig_chars = n_chars;
  r->stats.n_chars = n_chars;
}

void nz_result_set_slow(ZhsegNormalized *r, const WChar *w, gsize n, GArray *o)
{
  char *text = g_malloc(n * 4 + 1);
  gsize len = 0;
  r->n = n;
  r->nb = g_new(guint32, n + 1);
  r->noc = g_new(guint32, n + 1);
  r->noce = g_new(guint32, n + 1);
  for (gsize k = 0; k < n; k++) {
    r->nb[k] = (guint32)len;
    r->noc[k] = w[k].oc;
    r->noce[k] = w[k].oce;
    guint32 c = w[k].cp;
    if (c < 0x80)
      text[len++] = (char)c;
    else
      len += g_unichar_to_utf8(c, text + len);
  }
  text[len] = '\0';
  r->nb[n] = (guint32)len;
  r->noc[n] = r->noce[n] = o->len - 1;
  /* Byte -> character, so every offset lookup is O(1): cut maps each token. */
  r->bc = g_new(guint32, len + 1);
  for (gsize k = 0; k < n; k++)
    for (guint32 b = r->nb[k]; b < r->nb[k + 1]; b++)
      r->bc[b] = (guint32)k;
  r->bc[len] = (guint32)n;
  r->len = len;
  r->text = g_realloc(text, len + 1);
  r->o = o;
  r->n_orig_chars = o->len - 1 - r->char_adjust;
  r->stats.n_chars = n;
}

static guint64 ident_chars(const ZhsegNormalized *r, gsize off)
{
  off = MIN(off, r->len);
  gsize k = off / NZ_CKPT_BYTES;
  guint64 c = r->ckpt[k];
  for (gsize i = k * NZ_CKPT_BYTES; i < off; i++)
    c += ((guchar)r->text[i] & 0xC0) != 0x80;
  return c;
}

void nz_result_index_lines(ZhsegNormalized *r, guint64 base_line, guint64 line_start_char)
{
  r->base_line = base_line;
  r->line_start_char = (gint64)line_start_char;
  r->lf_after = g_array_new(FALSE, FALSE, sizeof(guint64));
  if (r->identity) {
    /* Characters are counted from one LF to the next. */
    guint64 c = r->base_char;
    const char *prev = r->text;
    for (const char *p = r->text, *end = r->text + r->len; (p = memchr(p, '\n', (gsize)(end - p))) != NULL;) {
      p++;
      c += count_chars((const guchar *)prev, (gsize)(p - prev));
      prev = p;
      g_array_append_val(r->lf_after, c);
    }
  } else {
    for (guint i = 0; i + 1 < r->o->len; i++)
      if ((g_array_index(r->o, OChar, i).cp & OCHAR_CP_MASK) == '\n') {
        guint64 c = r->base_char + (i + 1 >= r->char_adjust ? i + 1 - r->char_adjust : 0);
        g_array_append_val(r->lf_after, c);
      }
  }
}

void zhseg_normalized_free(ZhsegNormalized *r)
{
  if (r == NULL)
    return;
  if (r->lf_after != NULL)
    g_array_free(r->lf_after, TRUE);
  g_free(r->text);
  g_free(r->ckpt);
  g_free(r->nb);
  g_free(r->bc);
  g_free(r->noc);
  g_free(r->noce);
  if (r->o != NULL)
    g_array_free(r->o, TRUE);
  g_free(r);
}

const char *zhseg_normalized_text(const ZhsegNormalized *r, gsize *len)
{
  g_return_val_if_fail(r != NULL, NULL);
  if (len != NULL)
    *len = r->len;
  return r->text;
}

const ZhsegNormalizeStats *zhseg_normalized_stats(const ZhsegNormalized *r)
{
  g_return_val_if_fail(r != NULL, NULL);
  return &r->stats;
}

/* Index of the normalized character that contains byte `off` (n at the end). */
static gsize char_at(const ZhsegNormalized *r, gsize off)
{
  return off >= r->len ? r->n : r->bc[off];
}

static guint64 orig_char_index(const ZhsegNormalized *r, guint32 oc)
{
  return r->base_char + (oc >= r->char_adjust ? oc - r->char_adjust : 0);
}

static guint32 ooff(const ZhsegNormalized *r, guint32 oc)
{
  return g_array_index(r->o, OChar, oc).off;
}

void zhseg_normalized_map_span(const ZhsegNormalized *r, gsize start, gsize end, guint64 *os,
                               guint64 *oe, guint64 *ocs, guint64 *oce)
{
  g_return_if_fail(r != NULL);
  guint64 a, b, ca, cb;
  if (end < start)
    end = start;
  if (r->identity) {
    start = MIN(start, r->len);
    end = MIN(end, r->len);
    a = r->base + start;
    b = r->base + end;
    ca = r->base_char + ident_chars(r, start);
    cb = start == end ? ca : r->base_char + ident_chars(r, end);
  } else {
    gsize k = char_at(r, start);
    gsize ke = char_at(r, end);
    if (ke < r->n && r->nb[ke] < end)
      ke++; /* end inside a character: take all of it */
    if (ke <= k) {
      guint32 oc = r->noc[k];
      a = b = r->base + ooff(r, oc);
      ca = cb = orig_char_index(r, oc);
    } else {
      a = r->base + ooff(r, r->noc[k]);
      b = r->base + ooff(r, r->noce[ke - 1]);
      ca = orig_char_index(r, r->noc[k]);
      cb = orig_char_index(r, r->noce[ke - 1]);
    }
  }
  if (os != NULL)
    *os = a;
  if (oe != NULL)
    *oe = b;
  if (ocs != NULL)
    *ocs = ca;
  if (oce != NULL)
    *oce = cb;
}

guint64 zhseg_normalized_orig_offset(const ZhsegNormalized *r, gsize offset)
{
  guint64 o = 0;
  zhseg_normalized_map_span(r, offset, offset, &o, NULL, NULL, NULL);
  return o;
}

guint64 zhseg_normalized_orig_char(const ZhsegNormalized *r, gsize offset)
{
  guint64 c = 0;
  zhseg_normalized_map_span(r, offset, offset, NULL, NULL, &c, NULL);
  return c;
}

void zhseg_normalized_orig_line_col(const ZhsegNormalized *r, gsize offset, guint64 *line, guint64 *column)
{
  g_return_if_fail(r != NULL);
  guint64 c = zhseg_normalized_orig_char(r, offset);
  /* LFs of the chunk before c: binary search in lf_after. */
  const guint64 *lf = (const guint64 *)r->lf_after->data;
  guint lo = 0, hi = r->lf_after->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (lf[mid] <= c)
      lo = mid + 1;
    else
      hi = mid;
  }
  guint64 start = lo > 0 ? lf[lo - 1] : (guint64)r->line_start_char;
  if (line != NULL)
    *line = r->base_line + lo + 1;
  if (column != NULL)
    *column = c - start + 1;
}

gboolean zhseg_normalized_is_boundary(const ZhsegNormalized *r, gsize offset)
{
  g_return_val_if_fail(r != NULL, FALSE);
  if (offset == 0 || offset >= r->len)
    return TRUE;
  if (r->identity)
    return ((guchar)r->text[offset] & 0xC0) != 0x80;
  gsize k = char_at(r, offset);
  if (r->nb[k] != offset)
    return FALSE;
  return !(r->noc[k] == r->noc[k - 1] && r->noce[k] == r->noce[k - 1]);
}

gboolean zhseg_normalized_span_joined(const ZhsegNormalized *r, gsize start, gsize end)
{
  g_return_val_if_fail(r != NULL, FALSE);
  if (r->identity || end <= start)
    return FALSE;
  gsize k = char_at(r, start), ke = char_at(r, end);
  if (ke < r->n && r->nb[ke] < end)
    ke++;
  if (ke <= k)
    return FALSE;
  for (guint32 i = r->noc[k]; i < r->noce[ke - 1]; i++)
    if (g_array_index(r->o, OChar, i).cp & OCHAR_JOINED)
      return TRUE;
  return FALSE;
}

char *zhseg_normalized_original_text(const ZhsegNormalized *r, gsize start, gsize end, gsize *len)
{
  g_return_val_if_fail(r != NULL, NULL);
  GString *s = g_string_new(NULL);
  if (end > start) {
    if (r->identity) {
      start = MIN(start, r->len);
      end = MIN(end, r->len);
      g_string_append_len(s, r->text + start, end - start);
    } else {
      gsize k = char_at(r, start), ke = char_at(r, end);
      if (ke < r->n && r->nb[ke] < end)
        ke++;
      for (guint32 i = ke > k ? r->noc[k] : 0; ke > k && i < r->noce[ke - 1]; i++) {
        guint32 cp = g_array_index(r->o, OChar, i).cp;
        if (cp & (OCHAR_JOINED | OCHAR_DUP))
          continue;
        if (i < r->char_adjust)
          continue; /* the BOM */
        g_string_append_unichar(s, cp & OCHAR_CP_MASK);
      }
    }
  }
  if (len != NULL)
    *len = s->len;
  return g_string_free(s, FALSE);
}

guint zhseg_normalized_map_tokens(const ZhsegNormalized *r, GArray *tokens, guint first)
{
  g_return_val_if_fail(r != NULL && tokens != NULL, 0);
  guint out = first;
  for (guint i = first; i < tokens->len; i++) {
    ZhsegToken t = g_array_index(tokens, ZhsegToken, i);
    guint64 a, b, ca, cb;
    gboolean merge = out > first && !zhseg_normalized_is_boundary(r, t.start);
    zhseg_normalized_map_span(r, t.start, t.end, &a, &b, &ca, &cb);
    if (merge) {
      /* The boundary fell inside one original character's expansion. */
      ZhsegToken *p = &g_array_index(tokens, ZhsegToken, out - 1);
      p->end = MAX(p->end, (gsize)b);
      p->cend = MAX(p->cend, (gsize)cb);
      continue;
    }
    t.start = (gsize)a;
    t.end = (gsize)b;
    t.cstart = (gsize)ca;
    t.cend = (gsize)cb;
    g_array_index(tokens, ZhsegToken, out++) = t;
  }
  g_array_set_size(tokens, out);
  return out;
}
