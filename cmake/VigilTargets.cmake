# Helpers that give every Vigil target the same flags.
#   vigil_library(NAME SOURCES... [DEPS ...])  static library, include root = project root
#   vigil_executable(NAME SOURCES... [DEPS ...])
#   vigil_test(NAME SOURCES... [DEPS ...] [LABELS ...])   GoogleTest binary registered with ctest
set(VIGIL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false positives for std::string concatenation at -O3 (GCC bug 105329, 105651).
  list(APPEND VIGIL_WARNINGS -Wno-restrict -Wno-stringop-overflow -Wno-array-bounds)
endif()
if(VIGIL_WERROR)
  list(APPEND VIGIL_WARNINGS -Werror)
endif()

function(vigil_apply_flags target)
  target_compile_options(${target} PRIVATE ${VIGIL_WARNINGS})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()

function(vigil_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_DEPS})
  vigil_apply_flags(${name})
endfunction()

function(vigil_executable name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${A_DEPS})
  vigil_apply_flags(${name})
endfunction()

function(vigil_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${A_DEPS} vigil::gtest vigil::gmock vigil::gtestmain Threads::Threads)
  vigil_apply_flags(${name})
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    # Test code itself is compiled at -O1: the code under test (the libraries) keeps -O3, and
    # GoogleTest's macro-heavy sources cost three times as long to build at -O3.
    target_compile_options(${name} PRIVATE -O1)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${A_TIMEOUT}
    ENVIRONMENT "VIGIL_SOURCE_DIR=${PROJECT_SOURCE_DIR};VIGIL_BINARY_DIR=${PROJECT_BINARY_DIR}")
  if(A_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}")
  endif()
endfunction()

# vigil_fuzzer(NAME SOURCES... DEPS ...): libFuzzer target, only in a VIGIL_FUZZ (clang) build.
function(vigil_fuzzer name)
  if(NOT VIGIL_FUZZ)
    return()
  endif()
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${A_DEPS})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  vigil_apply_flags(${name})
  # ctest runs each fuzzer for $VIGIL_FUZZ_SECONDS (default 30) from its seed corpus
  # tests/fuzz/corpus/<name>/ (if present); a crash, leak or sanitizer report fails the test.
  add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/scripts/run-fuzzer $<TARGET_FILE:${name}>
           ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 900)
  # `vigil_fuzzers` builds every fuzzer and only what they link (for a quick fuzz-only build;
  # the daemons, tools and tests are left out).
  if(NOT TARGET vigil_fuzzers)
    add_custom_target(vigil_fuzzers)
  endif()
  add_dependencies(vigil_fuzzers ${name})
endfunction()
