/* The association and keyness measures against values worked out by hand on
 * tiny tables (the arithmetic is in the comments), and TextRank against
 * jieba 0.42.1's UndirectWeightedGraph.rank() on a small graph. */
#include "stats/measures.h"

#include <math.h>

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon((a), (b), 1e-6)

/* A 2×2 table: f_xy = 10, f_x = 20, f_y = 30, n = 100, so
 *   O = [10 10; 20 60], E = [6 14; 24 56]. */
static void test_pmi(void)
{
  /* log2(10·100 / (20·30)) = log2(5/3) */
  assert_near(zhseg_pmi(10, 20, 30, 100), 0.7369655941662062);
  /* independence: f_xy = f_x·f_y/n */
  assert_near(zhseg_pmi(6, 20, 30, 100), 0.0);
  g_assert_true(isinf(zhseg_pmi(0, 20, 30, 100)));
}

static void test_npmi(void)
{
  /* log2(5/3) / -log2(10/100) = 0.7369656 / 3.3219281 */
  assert_near(zhseg_npmi(10, 20, 30, 100), 0.22184874961635637);
  /* always together: f_xy = f_x = f_y -> 1 */
  assert_near(zhseg_npmi(10, 10, 10, 100), 1.0);
  assert_near(zhseg_npmi(0, 10, 10, 100), -1.0);
}

static void test_g2(void)
{
  /* 2·(10 ln(10/6) + 10 ln(10/14) + 20 ln(20/24) + 60 ln(60/56))
   * = 2·(5.1082562 − 3.3647224 − 3.6464311 + 4.1395722) = 4.4733500 */
  assert_near(zhseg_g2_2x2(10, 20, 30, 100), 4.473350049571542);
  /* below expectation (2 < 6): same formula, negative sign */
  g_assert_cmpfloat(zhseg_g2_2x2(2, 20, 30, 100), <, 0.0);
  /* independence gives 0 */
  assert_near(zhseg_g2_2x2(6, 20, 30, 100), 0.0);
}

static void test_log_dice(void)
{
  /* 14 + log2(2·10 / (20 + 30)) = 14 + log2(0.4) */
  assert_near(zhseg_log_dice(10, 20, 30), 12.678071905112638);
  /* the maximum: always together */
  assert_near(zhseg_log_dice(7, 7, 7), 14.0);
}

static void test_keyness(void)
{
  /* a = 10 in c = 1000 tokens, b = 5 in d = 2000: E1 = 1000·15/3000 = 5,
   * E2 = 10; G² = 2·(10 ln 2 + 5 ln 0.5) = 10 ln 2 */
  assert_near(zhseg_keyness_g2(10, 5, 1000, 2000), 6.931471805599453);
  /* the other way round: same magnitude, negative */
  assert_near(zhseg_keyness_g2(5, 10, 2000, 1000), -6.931471805599453);
  /* p of chi-square(1) at 10 ln 2 = erfc(sqrt(5 ln 2)) */
  assert_near(zhseg_chi2_p(6.931471805599453), 0.00846919650753501);
  assert_near(zhseg_chi2_p(0), 1.0);
  /* 3.841459 is the 5% critical value */
  g_assert_cmpfloat_with_epsilon(zhseg_chi2_p(3.841458820694124), 0.05, 1e-9);
  /* log2((10/1000) / (5/2000)) = log2(4) */
  assert_near(zhseg_log_ratio(10, 5, 1000, 2000), 2.0);
  /* zero count replaced by 0.5: log2((0.5/1000) / (5/2000)) = log2(0.2) */
  assert_near(zhseg_log_ratio(0, 5, 1000, 2000), -2.321928094887362);
}

static void test_idf(void)
{
  /* ln((1 + 3) / (1 + 1)) + 1 */
  assert_near(zhseg_idf_smooth(1, 3), 1.6931471805599454);
  assert_near(zhseg_idf_smooth(3, 3), 1.0);
}

static void test_textrank(void)
{
  /* Nodes A=0 B=1 C=2 D=3; edges A–B 2, B–C 1, C–D 1, A–C 1, D–D 1.
   * Expected: jieba.analyse.textrank.UndirectWeightedGraph with the same
   * addEdge calls, .rank() (jieba 0.42.1, Debian python3-jieba). */
  const guint32 a[] = {0, 1, 2, 0, 3};
  const guint32 b[] = {1, 2, 3, 2, 3};
  const double w[] = {2, 1, 1, 1, 1};
  double s[5] = {0};
  zhseg_textrank(5, a, b, w, 5, 0.85, 10, s);
  assert_near(s[0], 0.9935849941195225);
  assert_near(s[1], 1.0);
  assert_near(s[2], 0.9999189417824103);
  assert_near(s[3], 0.9947655509694349);
  assert_near(s[4], 0.0); /* no edges */
}

static void test_textrank_star(void)
{
  /* A star: the centre must outrank the leaves, which tie. */
  const guint32 a[] = {0, 0, 0};
  const guint32 b[] = {1, 2, 3};
  const double w[] = {1, 1, 1};
  double s[4];
  zhseg_textrank(4, a, b, w, 3, 0.85, 10, s);
  assert_near(s[0], 1.0);
  g_assert_cmpfloat(s[1], <, s[0]);
  assert_near(s[1], s[2]);
  assert_near(s[2], s[3]);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/stats/measures/pmi", test_pmi);
  g_test_add_func("/stats/measures/npmi", test_npmi);
  g_test_add_func("/stats/measures/g2", test_g2);
  g_test_add_func("/stats/measures/logdice", test_log_dice);
  g_test_add_func("/stats/measures/keyness", test_keyness);
  g_test_add_func("/stats/measures/idf", test_idf);
  g_test_add_func("/stats/textrank/jieba", test_textrank);
  g_test_add_func("/stats/textrank/star", test_textrank_star);
  return g_test_run();
}
