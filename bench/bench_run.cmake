# `cmake --build build --target bench` runs bench/run over this build tree
# (without rebuilding from inside the build: the targets below are its deps).
set(ZHSEG_BENCH_DEPS bench_segment bench_icu bench_dictopen zhseg_cli zhseg_data)
if(TARGET bench_normalize)
  list(APPEND ZHSEG_BENCH_DEPS bench_normalize)
endif()
add_custom_target(bench
  COMMAND ${CMAKE_SOURCE_DIR}/bench/run --no-build --build ${CMAKE_BINARY_DIR}
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  USES_TERMINAL
  COMMENT "Running the benchmarks (bench/run)")
add_dependencies(bench ${ZHSEG_BENCH_DEPS})
