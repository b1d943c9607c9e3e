# bench/chart.py, the picture bench/run draws of its results, checked on
# made-up results (the benchmarks themselves are not tests: CI smoke-runs them).
find_program(ZHSEG_PYTHON3 python3 HINTS /usr/bin)
if(ZHSEG_PYTHON3)
  add_test(NAME bench_chart COMMAND ${ZHSEG_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test_bench_chart.py)
  set_tests_properties(bench_chart PROPERTIES ENVIRONMENT "${ZHSEG_TEST_ENV}" TIMEOUT 60)
endif()
