# Statistics engine (stats/) and `zhseg analyze`.
zhseg_test(stats_measures test_stats_measures.c)
zhseg_test(stats_counts test_stats_counts.c)
zhseg_test(stats_analyze test_stats_analyze.c TIMEOUT 900)

# The charts' Chinese labels must render in a browser: headless Chromium
# screenshots compared pixel by pixel (skips, code 77, only without Chromium).
find_program(ZHSEG_PYTHON3 python3 HINTS /usr/bin)
if(ZHSEG_PYTHON3)
  add_test(NAME stats_svg_render
    COMMAND ${ZHSEG_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test_stats_svg_render.py)
  set_tests_properties(stats_svg_render PROPERTIES ENVIRONMENT "${ZHSEG_TEST_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
