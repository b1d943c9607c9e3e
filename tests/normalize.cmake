# The normalizer (issue 4): decoding, folding, t2s, layout, dedup, chunking,
# offset map. The 50 MB dedup line makes it the slowest test; no timing asserts.
zhseg_test(normalize ${CMAKE_CURRENT_SOURCE_DIR}/test_normalize.c TIMEOUT 600)
