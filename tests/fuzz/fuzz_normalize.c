/* libFuzzer target: the normalizer over arbitrary bytes, the first byte
 * choosing the options (encoding, t2s, join-lines, NFKC, dedup, strict).
 * Checks what callers rely on: valid UTF-8 out, every character's original
 * span inside the input and in order, chunks cut by safe_split giving the
 * text of the whole, and map_tokens keeping tokens in order. The input
 * repeated to 128 KiB, chunked, must give the whole's text too: chunks that
 * large build their results in the memory of the ones before (the
 * normalizer's pool keeps blocks of 64 KiB and more). */
#include "common/private.h"
#include "include/zhseg.h"

#include <stdlib.h>
#include <string.h>

static const char *const encodings[] = {NULL, "UTF-8", "GB18030", "Big5", "UTF-16LE", "UTF-16BE"};

/* With `check`, every character's map is checked too (too slow for the
 * repeated input). */
static char *normalize(ZhsegNormalizer *n, const char *bytes, gsize len, gsize window, gboolean check)
{
  GString *out = g_string_new(NULL);
  zhseg_normalizer_begin(n, 0);
  const char *enc = zhseg_normalizer_detect(n, bytes, len);
  gsize pos = 0;
  while (pos < len) {
    gsize take = len - pos;
    if (window > 0 && take > window) {
      take = zhseg_normalizer_safe_split(bytes + pos, window, enc, FALSE);
      if (take == 0)
        take = len - pos; /* no safe cut: the rest in one piece */
    }
    ZhsegNormalized *r = zhseg_normalizer_feed(n, bytes + pos, take, NULL);
    if (r == NULL) { /* strict mode: fine, but then the whole must fail too */
      g_string_free(out, TRUE);
      return NULL;
    }
    gsize tl;
    const char *t = zhseg_normalized_text(r, &tl);
    /* valid UTF-8 (NUL allowed: it is a character of the input) */
    for (gsize i = 0; i < tl;) {
      guint cl;
      if (zhseg_utf8_decode((const guchar *)t + i, tl - i, &cl) < 0)
        abort();
      i += cl;
    }
    if (t[tl] != '\0')
      abort();
    if (!check) {
      g_string_append_len(out, t, tl);
      zhseg_normalized_free(r);
      pos += take;
      continue;
    }
    guint64 prev = pos;
    for (gsize k = 0; k < tl; k = (gsize)(g_utf8_next_char(t + k) - t)) {
      gsize kn = (gsize)(g_utf8_next_char(t + k) - t); /* fine on NUL: one byte */
      guint64 a, b;
      zhseg_normalized_map_span(r, k, kn, &a, &b, NULL, NULL);
      if (a > b || b > pos + take || a < pos)
        abort();
      if (zhseg_normalized_is_boundary(r, k)) {
        if (a < prev && k > 0)
          abort();
        prev = b;
      }
      guint64 line, col;
      zhseg_normalized_orig_line_col(r, k, &line, &col);
      if (line == 0 || col == 0)
        abort();
      g_free(zhseg_normalized_original_text(r, k, kn, NULL));
    }
    /* one token per character, mapped back */
    GArray *tokens = g_array_new(FALSE, FALSE, sizeof(ZhsegToken));
    for (gsize k = 0; k < tl; k = (gsize)(g_utf8_next_char(t + k) - t)) {
      ZhsegToken tk = {k, (gsize)(g_utf8_next_char(t + k) - t), 0, 0, 0, ZHSEG_TOKEN_WORD, 0};
      g_array_append_val(tokens, tk);
    }
    guint nt = zhseg_normalized_map_tokens(r, tokens, 0);
    for (guint i = 1; i < nt; i++)
      if (g_array_index(tokens, ZhsegToken, i).start < g_array_index(tokens, ZhsegToken, i - 1).start)
        abort();
    g_array_free(tokens, TRUE);
    g_string_append_len(out, t, tl);
    zhseg_normalized_free(r);
    pos += take;
  }
  return g_string_free(out, FALSE);
}

/* Normalizing bytes whole and in chunks of about `window` must both fail
 * (strict mode) or give the same text. */
static void whole_equals_chunked(ZhsegNormalizer *n, const char *bytes, gsize len, gsize window, gboolean check)
{
  char *whole = normalize(n, bytes, len, 0, check);
  char *chunked = normalize(n, bytes, len, window, check);
  if ((whole == NULL) != (chunked == NULL))
    abort();
  if (whole != NULL && strcmp(whole, chunked) != 0)
    abort();
  g_free(whole);
  g_free(chunked);
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  if (size == 0)
    return 0;
  guint8 opt = data[0];
  const char *bytes = (const char *)data + 1;
  gsize len = size - 1;
  ZhsegNormalizer *n = zhseg_normalizer_new();
  zhseg_normalizer_set_encoding(n, encodings[opt % G_N_ELEMENTS(encodings)], NULL);
  zhseg_normalizer_set_t2s(n, (ZhsegT2sMode)((opt >> 3) % 3));
  zhseg_normalizer_set_join_lines(n, (ZhsegJoinMode)((opt >> 5) % 3));
  zhseg_normalizer_set_nfkc(n, !(opt & 0x80) || (opt & 1));
  zhseg_normalizer_set_dedup(n, (opt & 0x40) == 0);
  zhseg_normalizer_set_strict(n, (opt & 0xC0) == 0xC0);
  whole_equals_chunked(n, bytes, len, 64, TRUE);
  if (len > 0 && len <= 4096) {
    GString *big = g_string_new(NULL);
    while (big->len < 128 * 1024)
      g_string_append_len(big, bytes, len);
    whole_equals_chunked(n, big->str, big->len, 40 * 1024, FALSE);
    g_string_free(big, TRUE);
  }
  zhseg_normalizer_free(n);
  return 0;
}
