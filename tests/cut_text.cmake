# zhseg cut's text output (its short ways) against its tsv output (the
# general per-token lookups).
zhseg_test(cut_text ${CMAKE_CURRENT_SOURCE_DIR}/test_cut_text.c TIMEOUT 600)
add_dependencies(test_cut_text zhseg_cli)
