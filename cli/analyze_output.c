/* zhseg analyze: the report on a terminal, TSV/CSV tables and JSON. */
#include "cli/analyze.h"

#include <math.h>
#include <string.h>

const char *analyze_rank_name(ZhsegRankBy by)
{
  static const char *const names[] = {"count", "df", "tfidf", "textrank", "keyness"};
  return names[by];
}

/* The terms the report shows: with a lexicon its terms, else content words;
 * ranked by r->rank, at most r->top (all with `all`). */
static guint32 *top_terms(const ZhsegStats *st, const AnalyzeReport *r, gboolean lexicon_only,
                          gboolean all, gsize *n)
{
  gsize total;
  guint32 *idx = zhseg_stats_rank(st, r->rank, &total);
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  gsize k = 0;
  for (gsize i = 0; i < total && (all || k < r->top); i++) {
    const ZhsegTermStats *t = &terms[idx[i]];
    if (t->count == 0)
      continue;
    if (lexicon_only ? t->concept == NULL : !t->content && t->concept == NULL)
      continue;
    idx[k++] = idx[i];
  }
  *n = k;
  return idx;
}

guint32 *analyze_top_terms(const ZhsegStats *st, const AnalyzeReport *r, gsize *n)
{
  return top_terms(st, r, r->lexicon != NULL, FALSE, n);
}

/* ------------------------------------------------------------ numbers */

static void fmt_num(GString *s, double v)
{
  if (isnan(v) || isinf(v))
    g_string_append(s, v > 0 ? "inf" : isnan(v) ? "nan" : "-inf");
  else
    g_string_append_printf(s, "%.6g", v);
}

static void json_num(GString *s, double v)
{
  if (isnan(v) || isinf(v))
    g_string_append(s, "null");
  else
    g_string_append_printf(s, "%.6g", v);
}

static void json_str(GString *s, const char *v)
{
  if (v == NULL) {
    g_string_append(s, "null");
    return;
  }
  g_string_append_c(s, '"');
  for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
    switch (*p) {
    case '"': g_string_append(s, "\\\""); break;
    case '\\': g_string_append(s, "\\\\"); break;
    case '\n': g_string_append(s, "\\n"); break;
    case '\r': g_string_append(s, "\\r"); break;
    case '\t': g_string_append(s, "\\t"); break;
    default:
      if (*p < 0x20)
        g_string_append_printf(s, "\\u%04x", *p);
      else
        g_string_append_c(s, (char)*p);
    }
  }
  g_string_append_c(s, '"');
}

/* ------------------------------------------------------- TSV and CSV */

typedef struct {
  GString *s;
  gboolean csv;
  gboolean first;
} Row;

static void cell(Row *row, const char *v)
{
  if (!row->first)
    g_string_append_c(row->s, row->csv ? ',' : '\t');
  row->first = FALSE;
  if (v == NULL)
    v = "";
  if (row->csv && strpbrk(v, ",\"\n\r") != NULL) {
    g_string_append_c(row->s, '"');
    for (const char *p = v; *p; p++) {
      if (*p == '"')
        g_string_append_c(row->s, '"');
      g_string_append_c(row->s, *p);
    }
    g_string_append_c(row->s, '"');
  } else if (!row->csv) {
    for (const char *p = v; *p; p++) /* TSV: no tabs or line breaks inside a cell */
      g_string_append_c(row->s, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
  } else {
    g_string_append(row->s, v);
  }
}

static void cell_num(Row *row, double v)
{
  GString *t = g_string_new(NULL);
  fmt_num(t, v);
  cell(row, t->str);
  g_string_free(t, TRUE);
}

static void cell_u64(Row *row, guint64 v)
{
  char buf[32];
  g_snprintf(buf, sizeof buf, "%" G_GUINT64_FORMAT, v);
  cell(row, buf);
}

static void end_row(Row *row)
{
  g_string_append_c(row->s, '\n');
  row->first = TRUE;
}

static void header(Row *row, const char *const *names)
{
  for (gsize i = 0; names[i]; i++)
    cell(row, names[i]);
  end_row(row);
}

static void keyness_cells(Row *row, const ZhsegKeyness *k)
{
  cell_u64(row, k->freq);
  cell_u64(row, k->ref_freq);
  cell_num(row, k->g2);
  cell_num(row, k->p);
  cell_num(row, k->log_ratio);
  cell_u64(row, k->df);
  cell_u64(row, k->ref_df);
  cell_num(row, k->df_log_ratio);
  cell_num(row, k->df_g2);
}

/* Pairs of `scope` involving `term` (all pairs when term < 0), G² order. */
static GArray *pairs_of(const ZhsegStats *st, ZhsegCoocScope scope, gssize term)
{
  gsize n;
  const ZhsegPairStats *p = zhseg_stats_pairs(st, scope, &n);
  GArray *out = g_array_new(FALSE, FALSE, sizeof(ZhsegPairStats));
  for (gsize i = 0; i < n; i++)
    if (term < 0 || p[i].a == (guint32)term || p[i].b == (guint32)term)
      g_array_append_val(out, p[i]);
  return out;
}

static gboolean write_table(GString *s, const ZhsegStats *st, const AnalyzeReport *r,
                            GError **error)
{
  Row row = {s, r->format == FORMAT_CSV, TRUE};
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  guint n_art = zhseg_stats_n_articles(st);
  if (strcmp(r->table, "terms") == 0) {
    static const char *const h[] = {
        "rank", "term", "concept", "count", "token_count", "df", "per_10k", "idf", "tfidf",
        "textrank", "ref_count", "keyness_g2", "keyness_p", "log_ratio", "ref_df",
        "df_log_ratio", "df_g2", NULL};
    header(&row, h);
    gsize n;
    guint32 *idx = top_terms(st, r, FALSE, TRUE, &n);
    for (gsize i = 0; i < n; i++) {
      const ZhsegTermStats *t = &terms[idx[i]];
      cell_u64(&row, i + 1);
      cell(&row, t->term);
      cell(&row, t->concept);
      cell_u64(&row, t->count);
      cell_u64(&row, t->token_count);
      cell_u64(&row, t->df);
      cell_num(&row, t->per_10k);
      cell_num(&row, t->idf);
      cell_num(&row, t->tfidf);
      cell_num(&row, t->textrank);
      if (zhseg_stats_has_reference(st)) {
        cell_u64(&row, t->key.ref_freq);
        cell_num(&row, t->key.g2);
        cell_num(&row, t->key.p);
        cell_num(&row, t->key.log_ratio);
        cell_u64(&row, t->key.ref_df);
        cell_num(&row, t->key.df_log_ratio);
        cell_num(&row, t->key.df_g2);
      } else {
        for (int k = 0; k < 7; k++)
          cell(&row, "");
      }
      end_row(&row);
    }
    g_free(idx);
  } else if (strcmp(r->table, "articles") == 0) {
    /* One row per article: its tokens, then the count of each concept and
     * each of the top terms. */
    gsize n_top, n_con;
    guint32 *idx = analyze_top_terms(st, r, &n_top);
    const ZhsegConceptStats *con = zhseg_stats_concepts(st, &n_con);
    cell(&row, "id");
    cell(&row, "path");
    cell(&row, "tokens");
    for (gsize k = 0; k < n_con; k++)
      cell(&row, con[k].concept);
    for (gsize i = 0; i < n_top; i++)
      cell(&row, terms[idx[i]].term);
    end_row(&row);
    for (guint a = 0; a < n_art; a++) {
      cell(&row, zhseg_stats_article_id(st, a));
      cell(&row, zhseg_stats_article_path(st, a));
      cell_u64(&row, zhseg_stats_article_tokens(st, a));
      for (gsize k = 0; k < n_con; k++)
        cell_u64(&row, zhseg_stats_concept_count_in(st, k, a));
      for (gsize i = 0; i < n_top; i++)
        cell_u64(&row, zhseg_stats_term_count_in(st, idx[i], a));
      end_row(&row);
    }
    g_free(idx);
  } else if (strcmp(r->table, "concepts") == 0) {
    static const char *const h[] = {"concept", "count", "df", "terms", NULL};
    header(&row, h);
    gsize n_con;
    const ZhsegConceptStats *con = zhseg_stats_concepts(st, &n_con);
    for (gsize k = 0; k < n_con; k++) {
      cell(&row, con[k].concept);
      cell_u64(&row, con[k].count);
      cell_u64(&row, con[k].df);
      cell_u64(&row, con[k].n_terms);
      end_row(&row);
    }
  } else if (strcmp(r->table, "collocations") == 0) {
    static const char *const h[] = {"scope", "term", "collocate", "joint", "f_term", "f_collocate",
                                    "n", "pmi", "npmi", "g2", "log_dice", NULL};
    header(&row, h);
    gssize focus = r->term ? zhseg_stats_find_term(st, r->term) : -1;
    if (r->term == NULL || focus >= 0) {
      GArray *pairs = pairs_of(st, r->scope, focus);
      for (guint i = 0; i < pairs->len; i++) {
        const ZhsegPairStats *p = &g_array_index(pairs, ZhsegPairStats, i);
        gboolean swap = focus >= 0 && p->b == (guint32)focus;
        cell(&row, p->scope == ZHSEG_COOC_WINDOW ? "window" : "sentence");
        cell(&row, terms[swap ? p->b : p->a].term);
        cell(&row, terms[swap ? p->a : p->b].term);
        cell_u64(&row, p->joint);
        cell_u64(&row, swap ? p->fb : p->fa);
        cell_u64(&row, swap ? p->fa : p->fb);
        cell_u64(&row, p->n);
        cell_num(&row, p->pmi);
        cell_num(&row, p->npmi);
        cell_num(&row, p->g2);
        cell_num(&row, p->log_dice);
        end_row(&row);
      }
      g_array_free(pairs, TRUE);
    }
  } else if (strcmp(r->table, "keyness") == 0) {
    static const char *const h[] = {"target", "term", "freq", "ref_freq", "g2", "p",
                                    "log_ratio", "df", "ref_df", "df_log_ratio", "df_g2", NULL};
    header(&row, h);
    if (zhseg_stats_has_reference(st)) {
      gsize n;
      guint32 *idx = zhseg_stats_rank(st, ZHSEG_RANK_KEYNESS, &n);
      for (gsize i = 0; i < n && i < r->top; i++) {
        cell(&row, "collection");
        cell(&row, terms[idx[i]].term);
        keyness_cells(&row, &terms[idx[i]].key);
        end_row(&row);
      }
      g_free(idx);
    }
    for (guint a = 0; a < n_art && n_art > 1; a++) {
      gsize n;
      guint32 *idx = zhseg_stats_article_key_terms(st, a, &n);
      for (gsize i = 0; i < n && i < r->top; i++) {
        ZhsegKeyness k;
        zhseg_stats_article_keyness(st, a, idx[i], &k);
        if (k.g2 <= 0)
          break;
        cell(&row, zhseg_stats_article_id(st, a));
        cell(&row, terms[idx[i]].term);
        keyness_cells(&row, &k);
        end_row(&row);
      }
      g_free(idx);
    }
  } else {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_INVALID,
                "unknown table '%s' (terms, articles, collocations, keyness, concepts)", r->table);
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------- JSON */

static void json_keyness(GString *s, const ZhsegKeyness *k)
{
  g_string_append_printf(s, "{\"freq\":%" G_GUINT64_FORMAT ",\"ref_freq\":%" G_GUINT64_FORMAT
                            ",\"g2\":", k->freq, k->ref_freq);
  json_num(s, k->g2);
  g_string_append(s, ",\"p\":");
  json_num(s, k->p);
  g_string_append(s, ",\"log_ratio\":");
  json_num(s, k->log_ratio);
  g_string_append_printf(s, ",\"df\":%u,\"ref_df\":%u,\"df_log_ratio\":", k->df, k->ref_df);
  json_num(s, k->df_log_ratio);
  g_string_append(s, ",\"df_g2\":");
  json_num(s, k->df_g2);
  g_string_append_c(s, '}');
}

static void write_json(GString *s, const ZhsegStats *st, const AnalyzeReport *r)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  guint n_art = zhseg_stats_n_articles(st);
  g_string_append_printf(s, "{\"tokens\":%" G_GUINT64_FORMAT ",\"settings\":{\"rank\":",
                         zhseg_stats_total_tokens(st));
  json_str(s, analyze_rank_name(r->rank));
  g_string_append_printf(s, ",\"window\":%u,\"min_count\":%u,\"idf\":", r->window, r->min_count);
  json_str(s, r->idf_name);
  g_string_append(s, ",\"lexicon\":");
  json_str(s, r->lexicon_name);
  g_string_append(s, "},\n\"articles\":[");
  for (guint a = 0; a < n_art; a++) {
    g_string_append(s, a ? ",\n" : "\n");
    g_string_append(s, "{\"id\":");
    json_str(s, zhseg_stats_article_id(st, a));
    g_string_append(s, ",\"path\":");
    json_str(s, zhseg_stats_article_path(st, a));
    g_string_append_printf(s, ",\"tokens\":%" G_GUINT64_FORMAT "}",
                           zhseg_stats_article_tokens(st, a));
  }
  g_string_append(s, "],\n\"terms\":[");
  gsize n;
  guint32 *idx = top_terms(st, r, FALSE, TRUE, &n);
  for (gsize i = 0; i < n; i++) {
    const ZhsegTermStats *t = &terms[idx[i]];
    g_string_append(s, i ? ",\n" : "\n");
    g_string_append(s, "{\"term\":");
    json_str(s, t->term);
    g_string_append(s, ",\"concept\":");
    json_str(s, t->concept);
    g_string_append_printf(s,
                           ",\"count\":%" G_GUINT64_FORMAT ",\"token_count\":%" G_GUINT64_FORMAT
                           ",\"df\":%u,\"per_10k\":",
                           t->count, t->token_count, t->df);
    json_num(s, t->per_10k);
    g_string_append(s, ",\"idf\":");
    json_num(s, t->idf);
    g_string_append(s, ",\"tfidf\":");
    json_num(s, t->tfidf);
    g_string_append(s, ",\"textrank\":");
    json_num(s, t->textrank);
    g_string_append(s, ",\"per_article\":{");
    gboolean first = TRUE;
    for (guint a = 0; a < n_art; a++) {
      guint64 c = zhseg_stats_term_count_in(st, idx[i], a);
      if (c == 0)
        continue;
      if (!first)
        g_string_append_c(s, ',');
      first = FALSE;
      json_str(s, zhseg_stats_article_id(st, a));
      g_string_append_printf(s, ":%" G_GUINT64_FORMAT, c);
    }
    g_string_append(s, "},\"keyness\":");
    if (zhseg_stats_has_reference(st))
      json_keyness(s, &t->key);
    else
      g_string_append(s, "null");
    g_string_append_c(s, '}');
  }
  g_free(idx);
  g_string_append(s, "],\n\"concepts\":[");
  gsize n_con;
  const ZhsegConceptStats *con = zhseg_stats_concepts(st, &n_con);
  for (gsize k = 0; k < n_con; k++) {
    g_string_append(s, k ? ",\n" : "\n");
    g_string_append(s, "{\"concept\":");
    json_str(s, con[k].concept);
    g_string_append_printf(s, ",\"count\":%" G_GUINT64_FORMAT ",\"df\":%u,\"terms\":%u",
                           con[k].count, con[k].df, con[k].n_terms);
    g_string_append(s, ",\"per_article\":{");
    gboolean first = TRUE;
    for (guint a = 0; a < n_art; a++) {
      guint64 c = zhseg_stats_concept_count_in(st, k, a);
      if (c == 0)
        continue;
      if (!first)
        g_string_append_c(s, ',');
      first = FALSE;
      json_str(s, zhseg_stats_article_id(st, a));
      g_string_append_printf(s, ":%" G_GUINT64_FORMAT, c);
    }
    g_string_append(s, "}}");
  }
  g_string_append(s, "],\n\"collocations\":[");
  gboolean first = TRUE;
  for (int scope = 0; scope < 2; scope++) {
    gsize np;
    const ZhsegPairStats *p = zhseg_stats_pairs(st, scope, &np);
    for (gsize i = 0; i < np; i++) {
      g_string_append(s, first ? "\n" : ",\n");
      first = FALSE;
      g_string_append_printf(s, "{\"scope\":\"%s\",\"a\":",
                             scope == ZHSEG_COOC_WINDOW ? "window" : "sentence");
      json_str(s, terms[p[i].a].term);
      g_string_append(s, ",\"b\":");
      json_str(s, terms[p[i].b].term);
      g_string_append_printf(s,
                             ",\"joint\":%" G_GUINT64_FORMAT ",\"f_a\":%" G_GUINT64_FORMAT
                             ",\"f_b\":%" G_GUINT64_FORMAT ",\"n\":%" G_GUINT64_FORMAT ",\"pmi\":",
                             p[i].joint, p[i].fa, p[i].fb, p[i].n);
      json_num(s, p[i].pmi);
      g_string_append(s, ",\"npmi\":");
      json_num(s, p[i].npmi);
      g_string_append(s, ",\"g2\":");
      json_num(s, p[i].g2);
      g_string_append(s, ",\"log_dice\":");
      json_num(s, p[i].log_dice);
      g_string_append_c(s, '}');
    }
  }
  g_string_append(s, "],\n\"keyness\":[");
  first = TRUE;
  for (guint a = 0; a < n_art && n_art > 1; a++) {
    gsize nk;
    guint32 *kidx = zhseg_stats_article_key_terms(st, a, &nk);
    for (gsize i = 0; i < nk && i < r->top; i++) {
      ZhsegKeyness k;
      zhseg_stats_article_keyness(st, a, kidx[i], &k);
      if (k.g2 <= 0)
        break;
      g_string_append(s, first ? "\n" : ",\n");
      first = FALSE;
      g_string_append(s, "{\"article\":");
      json_str(s, zhseg_stats_article_id(st, a));
      g_string_append(s, ",\"term\":");
      json_str(s, terms[kidx[i]].term);
      g_string_append(s, ",\"keyness\":");
      json_keyness(s, &k);
      g_string_append_c(s, '}');
    }
    g_free(kidx);
  }
  g_string_append(s, "]}\n");
}

/* ------------------------------------------------------ terminal report */

/* Columns measured in terminal cells: CJK characters take two. */
static guint width_of(const char *s)
{
  guint w = 0;
  for (const char *p = s; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    w += g_unichar_iswide(c) ? 2 : g_unichar_iszerowidth(c) ? 0 : 1;
  }
  return w;
}

static void pad(GString *s, const char *v, guint width, gboolean right)
{
  guint w = width_of(v);
  if (right)
    for (guint i = w; i < width; i++)
      g_string_append_c(s, ' ');
  g_string_append(s, v);
  if (!right)
    for (guint i = w; i < width; i++)
      g_string_append_c(s, ' ');
}

static void padf(GString *s, guint width, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void padf(GString *s, guint width, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *v = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  pad(s, v, width, TRUE);
  g_free(v);
}

static void collocates_line(GString *s, const ZhsegStats *st, guint32 term, guint max)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  GArray *pairs = pairs_of(st, ZHSEG_COOC_WINDOW, term);
  guint shown = 0;
  for (guint i = 0; i < pairs->len && shown < max; i++) {
    const ZhsegPairStats *p = &g_array_index(pairs, ZhsegPairStats, i);
    if (p->g2 <= 0)
      continue;
    g_string_append_printf(s, "%s%s %" G_GUINT64_FORMAT, shown ? ", " : "",
                           terms[p->a == term ? p->b : p->a].term, p->joint);
    shown++;
  }
  if (shown == 0)
    g_string_append(s, "-");
  g_array_free(pairs, TRUE);
}

static void write_text(GString *s, const ZhsegStats *st, const AnalyzeReport *r)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  guint n_art = zhseg_stats_n_articles(st);
  gsize n_terms;
  zhseg_stats_terms(st, &n_terms);
  g_string_append_printf(s, "%u articles, %" G_GUINT64_FORMAT " tokens, %zu terms", n_art,
                         zhseg_stats_total_tokens(st), n_terms);
  if (r->lexicon_name)
    g_string_append_printf(s, "; lexicon %s", r->lexicon_name);
  g_string_append_printf(s, "; ranked by %s\n", analyze_rank_name(r->rank));

  if (r->term != NULL) {
    gssize t = zhseg_stats_find_term(st, r->term);
    char *scope = r->scope == ZHSEG_COOC_WINDOW
                      ? g_strdup_printf("window ±%u content words", r->window)
                      : g_strdup("same sentence");
    g_string_append_printf(s, "\nCollocates of %s (%s, joint >= %u, by G²)\n", r->term, scope,
                           r->min_count);
    g_free(scope);
    if (t < 0) {
      g_string_append(s, "  (not a term of these articles)\n");
      return;
    }
    g_string_append(s, "  collocate       joint    PMI   NPMI       G²  logDice\n");
    GArray *pairs = pairs_of(st, r->scope, t);
    for (guint i = 0; i < pairs->len && i < r->top; i++) {
      const ZhsegPairStats *p = &g_array_index(pairs, ZhsegPairStats, i);
      g_string_append(s, "  ");
      pad(s, terms[p->a == (guint32)t ? p->b : p->a].term, 14, FALSE);
      padf(s, 7, "%" G_GUINT64_FORMAT, p->joint);
      padf(s, 7, "%.2f", p->pmi);
      padf(s, 7, "%.2f", p->npmi);
      padf(s, 9, "%.1f", p->g2);
      padf(s, 9, "%.2f", p->log_dice);
      g_string_append_c(s, '\n');
    }
    if (pairs->len == 0)
      g_string_append(s, "  (none)\n");
    g_array_free(pairs, TRUE);
    return;
  }

  gsize n_con;
  const ZhsegConceptStats *con = zhseg_stats_concepts(st, &n_con);
  if (n_con > 0) {
    g_string_append(s, "\nConcepts (each place counted once)\n"
                       "  concept               count     df  per 10k\n");
    guint *order = g_new(guint, n_con);
    for (gsize k = 0; k < n_con; k++)
      order[k] = k;
    for (gsize i = 1; i < n_con; i++) /* by count, then lexicon order */
      for (gsize j = i; j > 0 && con[order[j]].count > con[order[j - 1]].count; j--) {
        guint x = order[j];
        order[j] = order[j - 1];
        order[j - 1] = x;
      }
    guint64 tok = zhseg_stats_total_tokens(st);
    for (gsize i = 0; i < n_con; i++) {
      const ZhsegConceptStats *c = &con[order[i]];
      g_string_append(s, "  ");
      pad(s, c->concept, 18, FALSE);
      padf(s, 8, "%" G_GUINT64_FORMAT, c->count);
      padf(s, 7, "%u", c->df);
      padf(s, 9, "%.1f", tok ? c->count * 10000.0 / tok : 0.0);
      g_string_append_c(s, '\n');
    }
    g_free(order);
  }

  for (int pass = 0; pass < (r->lexicon ? 2 : 1); pass++) {
    gboolean lex_pass = r->lexicon != NULL && pass == 0;
    gsize n;
    guint32 *idx = top_terms(st, r, lex_pass, FALSE, &n);
    g_string_append_printf(s, "\n%s (by %s)\n", lex_pass ? "Lexicon terms" : "Top terms",
                           analyze_rank_name(r->rank));
    g_string_append(s, "     term              concept          count  tokens   df  per10k"
                       "    tfidf  textrank");
    if (zhseg_stats_has_reference(st))
      g_string_append(s, "  keyness G²  log ratio");
    g_string_append_c(s, '\n');
    for (gsize i = 0; i < n; i++) {
      const ZhsegTermStats *t = &terms[idx[i]];
      padf(s, 4, "%zu", i + 1);
      g_string_append_c(s, ' ');
      pad(s, t->term, 18, FALSE);
      pad(s, t->concept ? t->concept : "", 14, FALSE);
      padf(s, 8, "%" G_GUINT64_FORMAT, t->count);
      padf(s, 8, "%" G_GUINT64_FORMAT, t->token_count);
      padf(s, 5, "%u", t->df);
      padf(s, 8, "%.1f", t->per_10k);
      padf(s, 9, "%.4f", t->tfidf);
      padf(s, 10, "%.3f", t->textrank);
      if (zhseg_stats_has_reference(st)) {
        padf(s, 12, "%.1f", t->key.g2);
        padf(s, 11, "%.2f", t->key.log_ratio);
      }
      g_string_append_c(s, '\n');
    }
    g_free(idx);
  }

  /* Per-article table: concepts with a lexicon, else the top 8 terms. */
  {
    gsize n;
    guint32 *idx = analyze_top_terms(st, r, &n);
    gsize cols = n_con > 0 ? n_con : MIN(n, 8);
    g_string_append_printf(s, "\nPer article (%s)\n  %-24s %7s", n_con ? "concept counts" : "term counts",
                           "article", "tokens");
    for (gsize k = 0; k < cols; k++) {
      g_string_append_c(s, ' ');
      pad(s, n_con ? con[k].concept : terms[idx[k]].term, 9, TRUE);
    }
    g_string_append_c(s, '\n');
    for (guint a = 0; a < n_art; a++) {
      g_string_append(s, "  ");
      pad(s, zhseg_stats_article_id(st, a), 24, FALSE);
      padf(s, 8, "%" G_GUINT64_FORMAT, zhseg_stats_article_tokens(st, a));
      for (gsize k = 0; k < cols; k++) {
        guint64 c = n_con ? zhseg_stats_concept_count_in(st, k, a)
                          : zhseg_stats_term_count_in(st, idx[k], a);
        guint w = width_of(n_con ? con[k].concept : terms[idx[k]].term);
        padf(s, MAX(w, 9) + 1, "%" G_GUINT64_FORMAT, c);
      }
      g_string_append_c(s, '\n');
    }
    g_string_append_printf(s, "\nCollocates (window ±%u content words, joint >= %u, by G²)\n",
                           r->window, r->min_count);
    for (gsize i = 0; i < n && i < 10; i++) {
      g_string_append(s, "  ");
      pad(s, terms[idx[i]].term, 14, FALSE);
      collocates_line(s, st, idx[i], 6);
      g_string_append_c(s, '\n');
    }
    g_free(idx);
  }

  if (n_art > 1) {
    g_string_append(s, "\nKeyness (each article against the rest, by G²)\n");
    for (guint a = 0; a < n_art; a++) {
      gsize nk;
      guint32 *kidx = zhseg_stats_article_key_terms(st, a, &nk);
      g_string_append(s, "  ");
      pad(s, zhseg_stats_article_id(st, a), 24, FALSE);
      guint shown = 0;
      for (gsize i = 0; i < nk && shown < 6; i++) {
        ZhsegKeyness k;
        zhseg_stats_article_keyness(st, a, kidx[i], &k);
        if (k.g2 <= 0 || k.p >= 0.05)
          break;
        g_string_append_printf(s, "%s%s %.1f", shown ? ", " : "", terms[kidx[i]].term, k.g2);
        shown++;
      }
      if (shown == 0)
        g_string_append(s, "-");
      g_string_append_c(s, '\n');
      g_free(kidx);
    }
  }
}

gboolean analyze_write(FILE *out, const ZhsegStats *st, const AnalyzeReport *r, GError **error)
{
  GString *s = g_string_new(NULL);
  gboolean ok = TRUE;
  switch (r->format) {
  case FORMAT_TEXT: write_text(s, st, r); break;
  case FORMAT_JSON: write_json(s, st, r); break;
  case FORMAT_TSV:
  case FORMAT_CSV: ok = write_table(s, st, r, error); break;
  }
  if (ok)
    fwrite(s->str, 1, s->len, out);
  g_string_free(s, TRUE);
  return ok;
}
