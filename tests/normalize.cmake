# The normalizer (issue 4): decoding, folding, t2s, layout, dedup, chunking,
# offset map. The 50 MB dedup line makes it the slowest test; no timing asserts.
zhseg_test(normalize ${CMAKE_CURRENT_SOURCE_DIR}/test_normalize.c TIMEOUT 600)
# The memory its results hand back and reuse (normalize_pool.h).
zhseg_test(normalize_pool ${CMAKE_CURRENT_SOURCE_DIR}/test_normalize_pool.c)

# The normalizer's fuzz target, replayed over its regression corpus as a plain
# test (same scheme as tests/fuzz.cmake; kept here so that file stays the
# lead's). With ZHSEG_FUZZ=ON (clang) fuzz_normalize is the libFuzzer binary.
add_executable(replay_normalize ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_normalize.c ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay.c)
target_link_libraries(replay_normalize PRIVATE zhseg_static)
target_include_directories(replay_normalize PRIVATE ${CMAKE_SOURCE_DIR})
add_test(NAME fuzz_replay_normalize COMMAND replay_normalize ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/normalize)
set_tests_properties(fuzz_replay_normalize PROPERTIES ENVIRONMENT "${ZHSEG_TEST_ENV}" TIMEOUT 300)
if(ZHSEG_FUZZ)
  add_executable(fuzz_normalize ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_normalize.c)
  target_compile_options(fuzz_normalize PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_normalize PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_normalize PRIVATE zhseg_static)
  target_include_directories(fuzz_normalize PRIVATE ${CMAKE_SOURCE_DIR})
endif()
