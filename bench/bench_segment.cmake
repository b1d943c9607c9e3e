# bench_segment: zhseg's segmentation core, MB/s per mode, 1 and N threads.
add_executable(bench_segment ${CMAKE_CURRENT_SOURCE_DIR}/bench_segment.c)
target_include_directories(bench_segment PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(bench_segment PRIVATE zhseg_static PkgConfig::GLIB Threads::Threads)
add_dependencies(bench_segment zhseg_data)
