# bench_dictopen: dictionary open time (warm and cold page cache) and memory.
add_executable(bench_dictopen ${CMAKE_CURRENT_SOURCE_DIR}/bench_dictopen.c)
target_include_directories(bench_dictopen PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(bench_dictopen PRIVATE zhseg_static PkgConfig::GLIB)
add_dependencies(bench_dictopen zhseg_data)
