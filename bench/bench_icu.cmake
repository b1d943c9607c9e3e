# bench_icu: the ICU word BreakIterator peer (ICU is a dependency: always built).
add_executable(bench_icu ${CMAKE_CURRENT_SOURCE_DIR}/bench_icu.c)
target_include_directories(bench_icu PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(bench_icu PRIVATE PkgConfig::ICU PkgConfig::GLIB)
