# zhseg cut's tsv and jsonl rows (written in place, numbers by a digit
# writer, text escaped only when a byte needs it) against a plain reference.
zhseg_test(cut_rows ${CMAKE_CURRENT_SOURCE_DIR}/test_cut_rows.c TIMEOUT 600)
add_dependencies(test_cut_rows zhseg_cli)
