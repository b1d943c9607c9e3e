/* Layout repair: finds hard-wrapped text and joins its wraps.
 *
 * Newspaper columns break lines at a fixed width, mid-word (`十\n九届`).
 * Text with one sentence or paragraph per line (the PKU file, bulletins 001,
 * 003) must be left alone. The decision is made per layout unit: the lines up
 * to and including the next line that ends a sentence. A unit whose open
 * lines (lines not ending a sentence) mostly share one width is hard-wrapped;
 * its open lines of about that width are joined to the next line. The width
 * is remembered for the following short units (a two-line paragraph gives too
 * little evidence on its own). Units never cross a line that ends a sentence,
 * which is also where the chunking helper splits, so chunked and whole input
 * decide alike. */
#include "tokenizer/normalize_private.h"

#include <stdlib.h>
#include <string.h>

guint32 nz_layout_char_width2(guint32 cp)
{
  /* Newspapers set ASCII and curly quotes at half width. */
  /* 「」『』 too: traditional text converted from simplified keeps the
   * column widths of “” (and real columns get a little more slack). */
  if (cp < 0x80 || (cp >= 0x2018 && cp <= 0x201F) || (cp >= 0x300C && cp <= 0x300F))
    return 1;
  return 2;
}

static gboolean trimmed(guint32 cp)
{
  return nz_is_space(cp) || cp == '\r';
}

void nz_line_info_width(LineInfo *li, const guint32 *cps, gsize n, gsize stride, guint32 width2)
{
  /* The width counts the characters between the blanks at either end. */
  gsize b = 0, e = n;
  while (b < e && trimmed(cps[b * stride]))
    width2 -= nz_layout_char_width2(cps[b++ * stride]);
  while (e > b && trimmed(cps[(e - 1) * stride]))
    width2 -= nz_layout_char_width2(cps[--e * stride]);
  li->blank = b == e;
  li->width2 = width2;
  li->first_cp = li->blank ? 0 : cps[b * stride];
  li->last_cp = li->blank ? 0 : cps[(e - 1) * stride];
  gsize k = e;
  while (k > b && nz_is_closer(cps[(k - 1) * stride]))
    k--;
  li->term = k > b && nz_is_terminator(cps[(k - 1) * stride]);
}

void nz_line_info(LineInfo *li, const guint32 *cps, gsize n, gsize stride)
{
  guint32 width2 = 0;
  for (gsize i = 0; i < n; i++)
    width2 += nz_layout_char_width2(cps[i * stride]);
  nz_line_info_width(li, cps, n, stride, width2);
}

static int cmp_u32(const void *a, const void *b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static gboolean left_open_han(guint32 cp)
{
  return nz_is_chinese(cp) && !nz_is_terminator(cp) && !nz_is_closer(cp);
}

static gboolean right_han(guint32 cp)
{
  return nz_is_chinese(cp) || (cp >= '0' && cp <= '9');
}

void nz_layout_decide(const LineInfo *lines, gsize n, int mode, LayoutState *state, gboolean *join,
                      gboolean *unit_start)
{
  for (gsize k = 0; k < n; k++) {
    join[k] = FALSE;
    if (unit_start != NULL)
      unit_start[k] = FALSE;
  }
  /* The open lines' widths of a unit: on the stack for the usual units
   * (the fast path decides every unit, often one line, on its own). */
  guint32 stack_widths[64], stack_sorted[64];
  guint32 *widths = n <= G_N_ELEMENTS(stack_widths) ? stack_widths : g_new(guint32, n);
  guint32 *sorted = n <= G_N_ELEMENTS(stack_sorted) ? stack_sorted : g_new(guint32, n);
  gsize i = 0;
  while (i < n) {
    gsize e = i;
    while (e < n - 1 && !lines[e].term)
      e++;
    if (unit_start != NULL)
      unit_start[i] = TRUE;
    /* Open lines of the unit: non-blank, not ending a sentence, and followed
     * by another non-blank line of the unit (so blank lines at the end of
     * the input, or of a chunk, change nothing). */
    gsize last = e; /* the unit's last non-blank line */
    while (last > i && lines[last].blank)
      last--;
    gsize nw = 0;
    for (gsize k = i; k < last; k++)
      if (!lines[k].blank && !lines[k].term)
        widths[nw++] = lines[k].width2;
    guint32 w2 = 0;
    gboolean wrapped = FALSE;
    if (nw >= 3) {
      memcpy(sorted, widths, nw * sizeof *sorted);
      qsort(sorted, nw, sizeof *sorted, cmp_u32);
      guint32 med = sorted[nw / 2];
      guint32 tol = MAX(4u, med / 8);
      guint agree = 0, han_end = 0;
      for (gsize k = 0; k < nw; k++)
        if (widths[k] + tol >= med && widths[k] <= med + tol)
          agree++;
      for (gsize k = i; k < last; k++)
        if (!lines[k].blank && !lines[k].term && left_open_han(lines[k].last_cp))
          han_end++;
      /* Columns are at least 12 em wide and break mid-phrase (the line ends
       * in Han text); a table of short records (weather: `北京晴-9°C/0°C`)
       * has neither. */
      if (med >= 24 && agree >= 3 && agree * 2 >= nw && han_end * 2 >= nw) {
        wrapped = TRUE;
        w2 = med;
        state->wrap_width2 = med;
      }
    }
    if (!wrapped && state->wrap_width2 > 0) {
      /* A line far wider than the column (a paragraph on one line) ends the
       * column layout. */
      for (gsize k = i; k <= e; k++)
        if (lines[k].width2 > 2 * state->wrap_width2 + 4)
          state->wrap_width2 = 0;
      wrapped = state->wrap_width2 > 0;
      w2 = state->wrap_width2;
    }
    for (gsize k = i; k < e && mode != 2; k++) {
      if (lines[k].blank || lines[k].term)
        continue;
      gsize j = k + 1;
      while (j <= e && lines[j].blank)
        j++;
      if (j > e)
        break;
      gsize gap = j - k - 1;
      gboolean ok;
      if (mode == 1) {
        ok = TRUE;
      } else {
        guint32 tol = MAX(4u, w2 / 8);
        /* The first line of a paragraph is two characters short (the
         * indent), hence the extra 4 half-ems below. */
        ok = wrapped && lines[k].width2 + tol + 4 >= w2 && lines[k].width2 <= w2 + tol;
        /* A caption set wider than the column, wrapped once before its
         * last line (`上网浏览学\n习宪法修正案。`). */
        if (wrapped && !ok && j == e && lines[e].term && lines[k].width2 > w2 + tol &&
            lines[e].width2 < lines[k].width2 && left_open_han(lines[k].last_cp) &&
            right_han(lines[e].first_cp))
          ok = TRUE;
      }
      if (ok && gap > 0) {
        /* A page or column break left blank lines inside a word (`道\n\n德`):
         * join only Han to Han, and never from a line that stands alone
         * between blank lines (a heading). */
        gboolean prev_blank = k == 0 ? state->prev_blank : lines[k - 1].blank;
        ok = gap <= 2 && !prev_blank && left_open_han(lines[k].last_cp) && right_han(lines[j].first_cp);
      }
      join[k] = ok;
    }
    i = e + 1;
  }
  if (n > 0)
    state->prev_blank = lines[n - 1].blank;
  if (widths != stack_widths)
    g_free(widths);
  if (sorted != stack_sorted)
    g_free(sorted);
}

static gboolean ascii_alnum(guint32 c)
{
  return c < 0x80 && g_ascii_isalnum((char)c);
}

gboolean nz_join_keeps_space(guint32 left, guint32 right)
{
  return ascii_alnum(left) && ascii_alnum(right);
}

static void flag_removed(OChar *o, const WChar *c, guint32 flag)
{
  for (guint32 k = c->oc; k < c->oce; k++)
    o[k].cp |= flag;
}

gsize nz_layout_apply(WChar *w, gsize n, OChar *o, int mode, LayoutState *state, guint64 *n_joined,
                      GArray *unit_bounds)
{
  const gsize stride = sizeof(WChar) / sizeof(guint32);
  GArray *starts = g_array_new(FALSE, FALSE, sizeof(gsize));
  gsize s = 0;
  for (gsize i = 0; i < n; i++)
    if (w[i].cp == '\n') {
      g_array_append_val(starts, s);
      s = i + 1;
    }
  if (s < n)
    g_array_append_val(starts, s);
  gsize nl = starts->len;
  LineInfo *lines = g_new(LineInfo, nl + 1);
  gboolean *join = g_new(gboolean, nl + 1);
  gboolean *ustart = g_new(gboolean, nl + 1);
#define LSTART(k) g_array_index(starts, gsize, k)
#define LEND(k) ((k) + 1 < nl ? LSTART((k) + 1) - 1 : (n > 0 && w[n - 1].cp == '\n' ? n - 1 : n))
  for (gsize k = 0; k < nl; k++)
    nz_line_info(&lines[k], &w[LSTART(k)].cp, LEND(k) - LSTART(k), stride);
  nz_layout_decide(lines, nl, mode, state, join, ustart);

  gsize out = 0;
  g_array_set_size(unit_bounds, 0);
  for (gsize k = 0; k < nl; k++) {
    if (ustart[k])
      g_array_append_val(unit_bounds, out);
    gsize b = LSTART(k), e = LEND(k);
    if (!join[k]) {
      gsize end = e < n ? e + 1 : e; /* with its line break */
      for (gsize i = b; i < end; i++)
        w[out++] = w[i];
      continue;
    }
    /* Join: drop trailing spaces, the break and any blank lines, and the next
     * line's leading spaces; a space stays between two Latin words. */
    while (e > b && nz_is_space(w[e - 1].cp))
      e--;
    for (gsize i = b; i < e; i++)
      w[out++] = w[i];
    gsize j = k + 1;
    while (lines[j].blank)
      j++;
    gsize rb = e, re = LSTART(j);
    while (re < LEND(j) && nz_is_space(w[re].cp))
      re++;
    guint32 left = w[e - 1].cp, right = w[re].cp;
    WChar sp = {' ', w[rb].oc, w[re - 1].oce};
    for (gsize i = rb; i < re; i++)
      flag_removed(o, &w[i], OCHAR_JOINED);
    if (nz_join_keeps_space(left, right))
      w[out++] = sp;
    (*n_joined)++;
    /* Continue with line j from re (its leading spaces are consumed). */
    g_array_index(starts, gsize, j) = re;
    k = j - 1;
  }
  g_array_append_val(unit_bounds, out);
#undef LSTART
#undef LEND
  g_free(lines);
  g_free(join);
  g_free(ustart);
  g_array_free(starts, TRUE);
  return out;
}
