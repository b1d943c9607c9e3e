/* zhseg analyze --svg: standalone SVG charts (bar chart of the top terms,
 * term × article heat map, co-occurrence network). Labels are Chinese, so
 * the text names CJK-capable font families first. */
#include "cli/analyze.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define FONTS                                                                            \
  "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', " \
  "'PingFang SC', 'Hiragino Sans GB', 'Heiti SC', SimHei, sans-serif"

static void xml_text(GString *s, const char *v)
{
  for (const char *p = v; *p; p++) {
    switch (*p) {
    case '<': g_string_append(s, "&lt;"); break;
    case '>': g_string_append(s, "&gt;"); break;
    case '&': g_string_append(s, "&amp;"); break;
    case '"': g_string_append(s, "&quot;"); break;
    default: g_string_append_c(s, *p);
    }
  }
}

static void svg_begin(GString *s, int w, int h, const char *title)
{
  g_string_append_printf(s,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                         "viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"14\">\n"
                         "<title>",
                         w, h, w, h, FONTS);
  xml_text(s, title);
  g_string_append(s, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  g_string_append(s, "<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">");
  xml_text(s, title);
  g_string_append(s, "</text>\n");
}

static gboolean svg_save(const char *dir, const char *name, GString *s, GError **error)
{
  g_string_append(s, "</svg>\n");
  char *path = g_build_filename(dir, name, NULL);
  GError *local = NULL;
  gboolean ok = g_file_set_contents(path, s->str, s->len, &local);
  if (!ok) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s", local->message);
    g_error_free(local);
  }
  g_free(path);
  g_string_free(s, TRUE);
  return ok;
}

static double rank_value(const ZhsegTermStats *t, ZhsegRankBy by)
{
  switch (by) {
  case ZHSEG_RANK_COUNT: return (double)t->count;
  case ZHSEG_RANK_DF: return t->df;
  case ZHSEG_RANK_TFIDF: return t->tfidf;
  case ZHSEG_RANK_TEXTRANK: return t->textrank;
  case ZHSEG_RANK_KEYNESS: return t->key.g2;
  }
  return 0;
}

static gboolean bar_chart(const char *dir, const ZhsegStats *st, const AnalyzeReport *r,
                          const guint32 *idx, gsize n, GError **error)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  int row = 26, left = 190, width = 900, top = 60;
  int h = top + (int)n * row + 40;
  GString *s = g_string_new(NULL);
  char *title = g_strdup_printf("Top %zu terms by %s (%u articles)", n,
                                analyze_rank_name(r->rank), zhseg_stats_n_articles(st));
  svg_begin(s, width, h, title);
  g_free(title);
  double max = 0;
  for (gsize i = 0; i < n; i++)
    max = MAX(max, rank_value(&terms[idx[i]], r->rank));
  int bar_w = width - left - 110;
  for (gsize i = 0; i < n; i++) {
    const ZhsegTermStats *t = &terms[idx[i]];
    double v = rank_value(t, r->rank);
    int y = top + (int)i * row;
    int w = max > 0 && v > 0 ? (int)lround(v / max * bar_w) : 0;
    g_string_append_printf(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">",
                           left - 10, y + 17);
    xml_text(s, t->term);
    g_string_append(s, "</text>\n");
    g_string_append_printf(s,
                           "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
                           left, y + 3, w, row - 6, t->concept ? "#c0392b" : "#2e86c1");
    g_string_append_printf(s, "<text x=\"%d\" y=\"%d\" fill=\"#444\" font-size=\"12\">",
                           left + w + 6, y + 17);
    if (r->rank == ZHSEG_RANK_COUNT || r->rank == ZHSEG_RANK_DF)
      g_string_append_printf(s, "%.0f", v);
    else
      g_string_append_printf(s, "%.3g", v);
    g_string_append(s, "</text>\n");
  }
  if (r->lexicon)
    g_string_append_printf(s,
                           "<text x=\"20\" y=\"%d\" font-size=\"12\" fill=\"#666\">red: lexicon "
                           "term, blue: other content word</text>\n",
                           h - 15);
  return svg_save(dir, "bar.svg", s, error);
}

static gboolean heat_map(const char *dir, const ZhsegStats *st, const guint32 *idx, gsize n,
                         GError **error)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  guint n_art = MIN(zhseg_stats_n_articles(st), 60);
  int cell_w = 44, cell_h = 24, left = 170, top = 170;
  int w = left + (int)n_art * cell_w + 40, h = top + (int)n * cell_h + 50;
  GString *s = g_string_new(NULL);
  char *title = g_strdup_printf("Terms × articles (per 10,000 tokens)%s",
                                zhseg_stats_n_articles(st) > n_art ? ", first 60 articles" : "");
  svg_begin(s, MAX(w, 520), h, title);
  g_free(title);
  double max = 0;
  for (gsize i = 0; i < n; i++)
    for (guint a = 0; a < n_art; a++) {
      guint64 tok = zhseg_stats_article_tokens(st, a);
      if (tok > 0)
        max = MAX(max, zhseg_stats_term_count_in(st, idx[i], a) * 10000.0 / tok);
    }
  for (guint a = 0; a < n_art; a++) {
    int x = left + (int)a * cell_w + cell_w / 2;
    g_string_append_printf(s,
                           "<text transform=\"translate(%d,%d) rotate(-60)\" font-size=\"11\" "
                           "fill=\"#222\">",
                           x, top - 6);
    const char *id = zhseg_stats_article_id(st, a);
    char *shortid = g_utf8_strlen(id, -1) > 18 ? g_utf8_substring(id, 0, 18) : g_strdup(id);
    xml_text(s, shortid);
    g_free(shortid);
    g_string_append(s, "</text>\n");
  }
  for (gsize i = 0; i < n; i++) {
    int y = top + (int)i * cell_h;
    g_string_append_printf(s, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">",
                           left - 8, y + 17);
    xml_text(s, terms[idx[i]].term);
    g_string_append(s, "</text>\n");
    for (guint a = 0; a < n_art; a++) {
      guint64 tok = zhseg_stats_article_tokens(st, a);
      guint64 c = zhseg_stats_term_count_in(st, idx[i], a);
      double v = tok > 0 ? c * 10000.0 / tok : 0;
      double f = max > 0 ? v / max : 0;
      int red = (int)lround(255 - f * (255 - 192)), green = (int)lround(255 - f * (255 - 57)),
          blue = (int)lround(255 - f * (255 - 43));
      g_string_append_printf(s,
                             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                             "fill=\"rgb(%d,%d,%d)\" stroke=\"#eee\"><title>%" G_GUINT64_FORMAT
                             "</title></rect>\n",
                             left + (int)a * cell_w, y, cell_w, cell_h, red, green, blue, c);
      if (c > 0)
        g_string_append_printf(s,
                               "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
                               "fill=\"%s\">%" G_GUINT64_FORMAT "</text>\n",
                               left + (int)a * cell_w + cell_w / 2, y + 16,
                               f > 0.55 ? "#fff" : "#333", c);
    }
  }
  g_string_append_printf(s,
                         "<text x=\"20\" y=\"%d\" font-size=\"12\" fill=\"#666\">numbers: "
                         "count in the article; colour: count per 10,000 tokens</text>\n",
                         h - 15);
  return svg_save(dir, "heatmap.svg", s, error);
}

static gboolean network(const char *dir, const ZhsegStats *st, const guint32 *idx, gsize n,
                        GError **error)
{
  const ZhsegTermStats *terms = zhseg_stats_terms(st, NULL);
  int size = 800;
  double cx = size / 2.0, cy = size / 2.0 + 20, radius = size / 2.0 - 120;
  GString *s = g_string_new(NULL);
  svg_begin(s, size, size + 40, "Co-occurrence network of the top terms (window, by G²)");
  GHashTable *pos = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (gsize i = 0; i < n; i++)
    g_hash_table_insert(pos, GUINT_TO_POINTER(idx[i] + 1), GUINT_TO_POINTER(i + 1));
  gsize np;
  const ZhsegPairStats *p = zhseg_stats_pairs(st, ZHSEG_COOC_WINDOW, &np);
  double max_ld = 0, min_ld = G_MAXDOUBLE;
  guint edges = 0;
  for (gsize i = 0; i < np && edges < 80; i++) {
    if (p[i].g2 <= 0 || !g_hash_table_contains(pos, GUINT_TO_POINTER(p[i].a + 1)) ||
        !g_hash_table_contains(pos, GUINT_TO_POINTER(p[i].b + 1)))
      continue;
    max_ld = MAX(max_ld, p[i].log_dice);
    min_ld = MIN(min_ld, p[i].log_dice);
    edges++;
  }
  edges = 0;
  for (gsize i = 0; i < np && edges < 80; i++) {
    gpointer pa = g_hash_table_lookup(pos, GUINT_TO_POINTER(p[i].a + 1));
    gpointer pb = g_hash_table_lookup(pos, GUINT_TO_POINTER(p[i].b + 1));
    if (p[i].g2 <= 0 || pa == NULL || pb == NULL)
      continue;
    edges++;
    double ta = 2 * G_PI * (GPOINTER_TO_UINT(pa) - 1) / n - G_PI / 2;
    double tb = 2 * G_PI * (GPOINTER_TO_UINT(pb) - 1) / n - G_PI / 2;
    double f = max_ld > min_ld ? (p[i].log_dice - min_ld) / (max_ld - min_ld) : 1.0;
    g_string_append_printf(s,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#2e86c1\" stroke-opacity=\"%.2f\" stroke-width=\"%.1f\">"
                           "<title>%" G_GUINT64_FORMAT "</title></line>\n",
                           cx + radius * cos(ta), cy + radius * sin(ta), cx + radius * cos(tb),
                           cy + radius * sin(tb), 0.25 + 0.6 * f, 1 + 5 * f, p[i].joint);
  }
  double max_c = 1;
  for (gsize i = 0; i < n; i++)
    max_c = MAX(max_c, (double)terms[idx[i]].count);
  for (gsize i = 0; i < n; i++) {
    const ZhsegTermStats *t = &terms[idx[i]];
    double th = 2 * G_PI * i / n - G_PI / 2;
    double x = cx + radius * cos(th), y = cy + radius * sin(th);
    double rr = 6 + 16 * sqrt(t->count / max_c);
    g_string_append_printf(s, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", x, y,
                           rr, t->concept ? "#c0392b" : "#f39c12");
    double lx = cx + (radius + rr + 8) * cos(th), ly = cy + (radius + rr + 8) * sin(th) + 5;
    const char *anchor = fabs(cos(th)) < 0.2 ? "middle" : cos(th) > 0 ? "start" : "end";
    g_string_append_printf(s, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#222\">", lx,
                           ly, anchor);
    xml_text(s, t->term);
    g_string_append(s, "</text>\n");
  }
  g_hash_table_destroy(pos);
  g_string_append_printf(s,
                         "<text x=\"20\" y=\"%d\" font-size=\"12\" fill=\"#666\">node size: "
                         "count; line: joint count ≥ minimum, width by logDice</text>\n",
                         size + 25);
  return svg_save(dir, "network.svg", s, error);
}

gboolean analyze_write_svg(const char *dir, const ZhsegStats *st, const AnalyzeReport *r,
                           GError **error)
{
  if (g_mkdir_with_parents(dir, 0777) != 0) {
    g_set_error(error, ZHSEG_ERROR, ZHSEG_ERROR_IO, "%s: %s", dir, g_strerror(errno));
    return FALSE;
  }
  gsize n;
  guint32 *idx = analyze_top_terms(st, r, &n);
  gsize n_small = MIN(n, 30);
  gboolean ok = bar_chart(dir, st, r, idx, n, error) && heat_map(dir, st, idx, n_small, error) &&
                network(dir, st, idx, n_small, error);
  g_free(idx);
  return ok;
}
