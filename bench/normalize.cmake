# Normalizer throughput (MB/s) beside the segmenter's: raw, clean UTF-8 fast
# path, GB18030, traditional with t2s auto.
add_executable(bench_normalize ${CMAKE_CURRENT_SOURCE_DIR}/bench_normalize.c)
target_link_libraries(bench_normalize PRIVATE zhseg_static PkgConfig::ICU)
target_include_directories(bench_normalize PRIVATE ${CMAKE_SOURCE_DIR})
target_compile_definitions(bench_normalize PRIVATE ZHSEG_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_dependencies(bench_normalize zhseg_data)
