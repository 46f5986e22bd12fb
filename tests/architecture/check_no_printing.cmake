# Fails when a module library below `app` refers to stdout/stderr printing. Libraries must
# report through return values; only app and cli talk to the terminal.
# Inputs: NM (the nm tool), LIBRARIES (static libraries separated by '|').
cmake_minimum_required(VERSION 3.25)
set(forbidden "_ZSt4cout" "_ZSt4cerr" "_ZSt4clog" "printf" "puts" "putchar" "fprintf"
              "vfprintf" "perror")
string(REPLACE "|" ";" LIBRARIES "${LIBRARIES}")
set(failures "")
foreach(library IN LISTS LIBRARIES)
  execute_process(COMMAND ${NM} --undefined-only --format=posix ${library}
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "nm failed on ${library}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^[^ ]+" symbol "${line}")
    string(REGEX REPLACE "@.*$" "" symbol "${symbol}")
    if(symbol IN_LIST forbidden)
      get_filename_component(name ${library} NAME)
      string(APPEND failures "  ${name} uses ${symbol}\n")
    endif()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "Module libraries must not print:\n${failures}")
endif()
message(STATUS "no printing symbols in ${LIBRARIES}")
