# Statistics engine (stats/) and `zhseg analyze`.
zhseg_test(stats_measures test_stats_measures.c)
