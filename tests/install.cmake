# The installed library, header, pkg-config and CMake package files work for
# an outside program. Not in the sanitizer build: there the installed library
# needs the ASan runtime loaded first, which an ordinary program does not do
# (packaging is tested by the normal build, which CI runs first).
if(NOT ZHSEG_SANITIZE)
  add_test(NAME install COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(install PROPERTIES TIMEOUT 300)
endif()
