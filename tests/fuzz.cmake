# Fuzz targets: with ZHSEG_FUZZ=ON (clang) libFuzzer binaries fuzz_<name>;
# always, replay_<name> runs the regression corpus tests/fuzz/corpus/<name>/
# as a plain test (under the sanitizers in CI's second build).
foreach(name segment dict_image user_dict)
  add_executable(replay_${name} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${name}.c ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay.c)
  target_link_libraries(replay_${name} PRIVATE zhseg_static)
  target_include_directories(replay_${name} PRIVATE ${CMAKE_SOURCE_DIR})
  add_dependencies(replay_${name} zhseg_data)
  add_test(NAME fuzz_replay_${name} COMMAND replay_${name} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${name})
  set_tests_properties(fuzz_replay_${name} PROPERTIES ENVIRONMENT "${ZHSEG_TEST_ENV}" TIMEOUT 300)
  if(ZHSEG_FUZZ)
    add_executable(fuzz_${name} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${name}.c)
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${name} PRIVATE zhseg_static)
    target_include_directories(fuzz_${name} PRIVATE ${CMAKE_SOURCE_DIR})
  endif()
endforeach()
