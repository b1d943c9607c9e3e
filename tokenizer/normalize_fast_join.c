/* The fast path's steps over a unit's lines together, once each line is
 * known clean by itself: the layout decision and the joins of hard-wrapped
 * lines it makes (each join a change), dedup's search over each line of the
 * text the joins make (its pair filter first), and t2s auto's count over
 * the unit. */
#include "tokenizer/normalize_fast.h"

#include <string.h>

/* Appends cps[0..n) to the joined line being built in s->jcps. */
static void join_append(FastScratch *s, gsize *jn, const guint32 *cps, gsize n)
{
  if (*jn + n > s->jcap) {
    s->jcap = MAX(*jn + n, 2 * s->jcap);
    s->jcps = g_renew(guint32, s->jcps, s->jcap);
  }
  memcpy(s->jcps + *jn, cps, n * sizeof *cps);
  *jn += n;
}

/* Dedup's filter over the n characters of a line. A run repeated with
 * period p (4..64) repeats each of its character pairs p characters later.
 * `pairs` remembers, by hash, where each pair was last seen (a collision
 * or a later copy only makes that nearer), so the p - 1 pairs that end in
 * the run's second copy are each seen again at most p characters after
 * their last sighting: at the copy's last character, a streak of
 * r >= p - 1 >= 3 such pairs ends with one seen at most p <= r + 1
 * characters before. Without such a streak there is no repeated run and
 * the exact search (nz_dedup_find, linear but costlier) is skipped:
 * repeated words far apart (信息技术 ... 信息技术) do not call it. */
static gboolean maybe_repeated(FastScratch *s, const guint32 *cps, gsize n)
{
  guint32 *pairs = s->pairs, base = s->pos, prev = 0x200000, run = 0, found = 0;
  s->pos = base + (guint32)n;
  gsize k = 0;
  /* Without a branch per character: whether a pair was seen near is a coin
   * toss in Chinese text (的 and its neighbours recur within 64 characters),
   * so the streak is counted with masks and the verdict tested every 8. */
  while (k < n) {
    gsize stop = MIN(n, k + 8);
    for (; k < stop; k++) {
      guint32 cp = cps[k];
      guint32 h = (prev << 5 ^ cp) & ((1u << PAIR_BITS) - 1); /* any key will do: see above */
      guint32 dist = base + (guint32)k - pairs[h];
      pairs[h] = base + (guint32)k;
      run = (run + 1) & -(guint32)(dist - 1 < PAIR_WINDOW);
      found |= (guint32)(run >= 3) & (guint32)(dist <= run + 1);
      prev = cp;
    }
    /* Stopping here leaves the rest of the line unrecorded: a later line
     * records its own pairs before it can meet them again. */
    if (found)
      return TRUE;
  }
  return FALSE;
}

/* Would dedup's search find a repeated run in a line of the text as the
 * slow path's dedup sees it? Its filter first (maybe_repeated), which
 * lets most lines skip the exact search. */
static gboolean repeats(FastScratch *s, const guint32 *cps, gsize n)
{
  gsize start, period;
  guint copies;
  return n >= 8 && maybe_repeated(s, cps, n) && nz_dedup_find(cps, n, 1, 0, s->table, &start, &period, &copies);
}

/* The joins of the lines from line k on (k joined to the next non-blank
 * line, maybe that one to the next...), as nz_layout_apply makes them: the
 * blanks at the end of a joined line, its break, the blank lines and the
 * blanks at the start of the next line are removed, or become one space
 * between two Latin letters or digits. Appends a change per join to
 * s->joins, and checks the line they make as the slow path's dedup sees it
 * (its search runs per line of the joined text). Returns the last line of
 * the chain, or G_MAXUINT when dedup would change the joined line. */
static guint join_chain(FastScratch *s, const ScanCtx *x, guint k)
{
  const FastLine *sp = s->spans;
  gsize jn = 0;
  guint32 lead = 0; /* blanks dropped at the start of line k */
  while (s->join[k]) {
    const guint32 *c = s->cps + sp[k].cp0;
    guint32 e = sp[k].n, tail = 0;
    while (e > lead && nz_is_space(c[e - 1]))
      tail += nz_fast_blank_bytes(c[--e]);
    join_append(s, &jn, c + lead, e - lead);
    guint j = k + 1;
    while (s->lines[j].blank)
      j++;
    const guint32 *cj = s->cps + sp[j].cp0;
    guint32 lj = 0, head = 0;
    while (lj < sp[j].n && nz_is_space(cj[lj]))
      head += nz_fast_blank_bytes(cj[lj++]);
    gboolean space = nz_join_keeps_space(c[e - 1], cj[lj]);
    if (space)
      join_append(s, &jn, (const guint32[]){' '}, 1);
    else if (x->dedup && nz_is_doubled_punct(c[e - 1], cj[lj]))
      return G_MAXUINT; /* a doubled mark across the join */
    /* (the blanks it drops are input characters: spaces between Han,
     * which the line has dropped already, are not at its ends) */
    guint32 off = sp[k].end - tail, och = sp[k].ch + sp[k].n_in - (sp[k].n - e);
    NzFastChange jc = {off, sp[j].start + head - off, och, sp[j].ch + lj - och, space ? ' ' : 0, NZ_FAST_JOIN, {0, 0}};
    g_array_append_val(s->joins, jc);
    k = j;
    lead = lj;
  }
  join_append(s, &jn, s->cps + sp[k].cp0 + lead, sp[k].n - lead);
  return x->dedup && repeats(s, s->jcps, jn) ? G_MAXUINT : k;
}

/* s->changes with the joins merged in, in input order. A join's gap holds
 * blanks and breaks only: its CR LF pairs are no changes of their own (the
 * slow path still counts them). FALSE if another change stood in a gap. */
static gboolean merge_joins(FastScratch *s)
{
  GArray *out = s->merged;
  g_array_set_size(out, 0);
  const NzFastChange *c = (const NzFastChange *)s->changes->data, *j = (const NzFastChange *)s->joins->data;
  guint nc = s->changes->len, nj = s->joins->len, a = 0, b = 0;
  const NzFastChange *gap = NULL; /* the last join added */
  gboolean ok = TRUE;
  while (a < nc || b < nj) {
    if (b < nj && (a == nc || j[b].off <= c[a].off)) {
      gap = &j[b++];
      g_array_append_val(out, *gap);
    } else if (gap != NULL && c[a].off < gap->off + gap->len) {
      ok &= c[a++].kind == NZ_FAST_CRLF;
    } else {
      g_array_append_val(out, c[a++]);
    }
  }
  s->merged = s->changes;
  s->changes = out;
  return ok;
}

/* Simplified-only characters of bytes[start..end), a line the scan
 * found clean (valid UTF-8), as the slow path sees them (after the
 * replacements). */
static guint32 count_simp(const ScanCtx *x, const guchar *b, gsize start, gsize end)
{
  guint32 simp = 0;
  for (gsize i = start; i < end;) {
    guint k;
    guint32 cp = (guint32)zhseg_utf8_decode(b + i, end - i, &k);
    i += k;
    if (x->repl != NULL && cp >= REPL_FIRST && cp <= REPL_LAST && x->repl[cp - REPL_FIRST] != 0)
      cp = x->repl[cp - REPL_FIRST];
    simp += nz_bit(x->t->is_simp_only, cp);
  }
  return simp;
}

/* Would the slow path convert a unit (t2s auto)? (the rule of nz_t2s_apply;
 * joins remove blanks and breaks only, which it does not count) */
static gboolean t2s_converts(const FastScratch *s, const ScanCtx *x, const guchar *bytes)
{
  guint nl = s->n_lines;
  const FastLine *sp = s->spans;
  for (guint k = 0; k < nl;) {
    guint64 tr = 0, si = 0;
    guint e = k;
    do {
      tr += sp[e].trad;
      e++;
    } while (e < nl && !s->ustart[e]);
    if (tr > 0) {
      for (guint j = k; j < e; j++)
        si += count_simp(x, bytes, sp[j].start, sp[j].end);
      if (tr > si)
        return TRUE;
    }
    k = e;
  }
  return FALSE;
}

gboolean nz_fast_unit_stays(FastScratch *s, const ScanCtx *x, const guchar *bytes, gboolean any_trad,
                            LayoutState *state)
{
  guint nl = s->n_lines;
  if (nl > s->flags_cap) {
    s->flags_cap = MAX(nl, 2 * s->flags_cap);
    s->join = g_renew(gboolean, s->join, s->flags_cap);
    s->ustart = g_renew(gboolean, s->ustart, s->flags_cap);
  }
  LayoutState st = *state;
  nz_layout_decide(s->lines, nl, x->join, &st, s->join, s->ustart);
  g_array_set_size(s->joins, 0);
  for (guint k = 0; k < nl; k++) {
    if (s->join[k]) {
      k = join_chain(s, x, k);
      if (k == G_MAXUINT)
        return FALSE;
    } else if (x->dedup && repeats(s, s->cps + s->spans[k].cp0, s->spans[k].n)) {
      return FALSE;
    }
  }
  if (s->joins->len > 0 && !merge_joins(s))
    return FALSE;
  if (x->t2s == 2 && any_trad && t2s_converts(s, x, bytes))
    return FALSE;
  *state = st;
  return TRUE;
}
