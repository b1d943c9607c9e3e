/* Association and keyness measures as pure functions of counts. */
#include "stats/measures.h"

#include <math.h>

double zhseg_pmi(double f_xy, double f_x, double f_y, double n)
{
  if (f_xy <= 0 || f_x <= 0 || f_y <= 0 || n <= 0)
    return -INFINITY;
  return log2(f_xy * n / (f_x * f_y));
}

double zhseg_npmi(double f_xy, double f_x, double f_y, double n)
{
  if (f_xy <= 0 || n <= 0)
    return -1.0;
  if (f_xy >= n)
    return 1.0;
  return zhseg_pmi(f_xy, f_x, f_y, n) / -log2(f_xy / n);
}

double zhseg_log_dice(double f_xy, double f_x, double f_y)
{
  if (f_xy <= 0 || f_x + f_y <= 0)
    return -INFINITY;
  return 14.0 + log2(2.0 * f_xy / (f_x + f_y));
}

static double o_ln_o_e(double o, double e)
{
  return o > 0 && e > 0 ? o * log(o / e) : 0.0;
}

double zhseg_g2_2x2(double f_xy, double f_x, double f_y, double n)
{
  if (n <= 0)
    return 0.0;
  double o[4] = {f_xy, f_x - f_xy, f_y - f_xy, n - f_x - f_y + f_xy};
  double r[2] = {f_x, n - f_x}, c[2] = {f_y, n - f_y};
  double e[4] = {r[0] * c[0] / n, r[0] * c[1] / n, r[1] * c[0] / n, r[1] * c[1] / n};
  double g2 = 0;
  for (int i = 0; i < 4; i++)
    g2 += o_ln_o_e(o[i], e[i]);
  g2 *= 2.0;
  if (g2 < 0) /* rounding */
    g2 = 0;
  return f_xy < e[0] ? -g2 : g2;
}

double zhseg_keyness_g2(double a, double b, double c, double d)
{
  if (c <= 0 || d <= 0 || a + b <= 0)
    return 0.0;
  double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
  double g2 = 2.0 * (o_ln_o_e(a, e1) + o_ln_o_e(b, e2));
  if (g2 < 0)
    g2 = 0;
  return a / c < b / d ? -g2 : g2;
}

double zhseg_chi2_p(double g2)
{
  return erfc(sqrt(fabs(g2) / 2.0));
}

double zhseg_log_ratio(double a, double b, double c, double d)
{
  if (c <= 0 || d <= 0)
    return 0.0;
  return log2(((a > 0 ? a : 0.5) / c) / ((b > 0 ? b : 0.5) / d));
}

double zhseg_idf_smooth(double df, double n_docs)
{
  return log((1.0 + n_docs) / (1.0 + df)) + 1.0;
}

void zhseg_textrank(guint n, const guint32 *a, const guint32 *b, const double *w, gsize n_edges,
                    double d, guint iterations, double *scores)
{
  if (n == 0)
    return;
  /* Adjacency in CSR form; a self loop appears twice in its node's list. */
  guint *start = g_new0(guint, n + 1);
  for (gsize i = 0; i < n_edges; i++) {
    start[a[i] + 1]++;
    start[b[i] + 1]++;
  }
  for (guint v = 0; v < n; v++)
    start[v + 1] += start[v];
  guint *fill = g_new(guint, n);
  for (guint v = 0; v < n; v++)
    fill[v] = start[v];
  guint32 *nb = g_new(guint32, start[n] + 1);
  double *nw = g_new(double, start[n] + 1);
  for (gsize i = 0; i < n_edges; i++) {
    nb[fill[a[i]]] = b[i];
    nw[fill[a[i]]++] = w[i];
    nb[fill[b[i]]] = a[i];
    nw[fill[b[i]]++] = w[i];
  }
  double *out_sum = g_new0(double, n);
  guint n_nodes = 0;
  for (guint v = 0; v < n; v++) {
    for (guint k = start[v]; k < start[v + 1]; k++)
      out_sum[v] += nw[k];
    n_nodes += start[v + 1] > start[v];
  }
  double wsdef = 1.0 / (n_nodes ? n_nodes : 1);
  for (guint v = 0; v < n; v++)
    scores[v] = start[v + 1] > start[v] ? wsdef : 0.0;
  for (guint it = 0; it < iterations; it++)
    for (guint v = 0; v < n; v++) {
      if (start[v + 1] == start[v])
        continue;
      double s = 0;
      for (guint k = start[v]; k < start[v + 1]; k++)
        s += nw[k] / out_sum[nb[k]] * scores[nb[k]];
      scores[v] = (1 - d) + d * s;
    }
  double mn = G_MAXDOUBLE, mx = -G_MAXDOUBLE;
  for (guint v = 0; v < n; v++)
    if (start[v + 1] > start[v]) {
      mn = MIN(mn, scores[v]);
      mx = MAX(mx, scores[v]);
    }
  for (guint v = 0; v < n; v++)
    if (start[v + 1] > start[v])
      scores[v] = mx - mn / 10.0 != 0 ? (scores[v] - mn / 10.0) / (mx - mn / 10.0) : 1.0;
  g_free(start);
  g_free(fill);
  g_free(nb);
  g_free(nw);
  g_free(out_sum);
}
