# Settings and warnings travel as INTERFACE targets linked PRIVATE to our own targets, so
# third-party code never sees our flags and no directory-wide flag is mutated.
add_library(reckon_settings INTERFACE)
target_compile_features(reckon_settings INTERFACE cxx_std_20)
# No fused multiply-adds the source did not write: GCC would otherwise contract a*b+c where
# its optimiser sees fit, so release, debug, sanitizer and AVX2/AVX-512 builds would round
# differently, and the same input and seed would give different bits from build to build.
target_compile_options(reckon_settings INTERFACE -ffp-contract=off)
if(RECKON_NATIVE)
  target_compile_options(reckon_settings INTERFACE -march=native)
endif()
if(RECKON_SANITIZE)
  target_compile_options(reckon_settings INTERFACE -fsanitize=address,undefined
                                                   -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(reckon_settings INTERFACE -fsanitize=address,undefined)
endif()

add_library(reckon_warnings INTERFACE)
target_compile_options(reckon_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                                 $<$<BOOL:${RECKON_WERROR}>:-Werror>)
# GCC 12 reports std::string assignments and concatenations inlined at -O3 as overlapping
# copies (GCC bugs 105329 and 105651, fixed in 13); the warning says nothing true there.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(reckon_warnings INTERFACE -Wno-restrict)
endif()

# reckon_module(NAME SOURCES ... DEPENDS ...) declares one module library: public headers in
# include/reckon/NAME, sources in src/NAME.
function(reckon_module name)
  cmake_parse_arguments(arg "" "" "SOURCES;PUBLIC_DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(reckon_${name} STATIC ${arg_SOURCES})
  add_library(reckon::${name} ALIAS reckon_${name})
  target_include_directories(reckon_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                            PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(reckon_${name} PUBLIC ${arg_PUBLIC_DEPENDS} reckon_settings
                                       PRIVATE ${arg_PRIVATE_DEPENDS} reckon_warnings)
endfunction()
