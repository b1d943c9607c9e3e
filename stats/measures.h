/* Association and keyness measures: pure functions of counts (stats/measures.c).
 * Private to libzhseg; the tests include it directly. */
#ifndef ZHSEG_STATS_MEASURES_H
#define ZHSEG_STATS_MEASURES_H

#include <glib.h>

/* Pointwise mutual information, log2(f_xy·n / (f_x·f_y)). */
double zhseg_pmi(double f_xy, double f_x, double f_y, double n);
/* PMI normalised by -log2(f_xy/n), in [-1, 1]; 1 when f_xy = n. */
double zhseg_npmi(double f_xy, double f_x, double f_y, double n);
/* Rychlý's logDice, 14 + log2(2·f_xy / (f_x + f_y)). */
double zhseg_log_dice(double f_xy, double f_x, double f_y);
/* Log-likelihood G² = 2 Σ O ln(O/E) over the 2×2 table
 *   [f_xy, f_x - f_xy; f_y - f_xy, n - f_x - f_y + f_xy],
 * negative when f_xy is below its expected value. */
double zhseg_g2_2x2(double f_xy, double f_x, double f_y, double n);
/* Keyness G² (Rayson & Garside): freq `a` in a target of `c` tokens against
 * `b` in a reference of `d` tokens; negative when a/c < b/d. */
double zhseg_keyness_g2(double a, double b, double c, double d);
/* p-value of a G² statistic with one degree of freedom (sign ignored). */
double zhseg_chi2_p(double g2);
/* Hardie's log ratio, log2((a/c) / (b/d)) with 0.5 for a zero a or b. */
double zhseg_log_ratio(double a, double b, double c, double d);
/* Smoothed IDF: ln((1 + n_docs) / (1 + df)) + 1. */
double zhseg_idf_smooth(double df, double n_docs);

/* jieba's TextRank on an undirected weighted graph of `n` nodes: edges
 * (a[i], b[i], w[i]) for i < n_edges; a[i] == b[i] is a self loop that
 * counts twice, as in jieba. Nodes are updated in place in index order (jieba
 * updates in sorted-key order, so the caller numbers nodes in byte order of
 * their words), `iterations` rounds (jieba: 10), damping `d` (0.85). Scores
 * are rescaled as jieba does: (w - min/10) / (max - min/10). `scores` gets n
 * values; nodes without edges score 0. */
void zhseg_textrank(guint n, const guint32 *a, const guint32 *b, const double *w, gsize n_edges,
                    double d, guint iterations, double *scores);

#endif
