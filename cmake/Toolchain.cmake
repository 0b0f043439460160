set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "Release flags" FORCE)
# Compiler cache and flags shared by every target.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # ccache reads its settings from the environment of each compile: paths relative to the checkout
  # (so two clones share hits), and the sloppiness precompiled headers need.
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime ${CCACHE_PROGRAM})
endif()

set(CALRT_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Woverloaded-virtual -Wimplicit-fallthrough)
# GCC 12 reports false positives inside libstdc++'s std::string code when optimizing (GCC bugs
# 105329, 105651); they would fail -Werror builds without pointing at anything in this project.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # Likewise -Wmismatched-new-delete on Asio's coroutine frames (GCC bug 109224).
  list(APPEND CALRT_WARNINGS -Wno-stringop-overflow -Wno-restrict -Wno-array-bounds -Wno-mismatched-new-delete)
endif()
if(CALRT_WERROR)
  list(APPEND CALRT_WARNINGS -Werror)
endif()

if(CALRT_SANITIZE)
  # -g1 (line tables only, after the build type's -g) is all a sanitizer report needs for file:line,
  # and compiles about a third faster than full debug information.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1 -g1)
  add_link_options(-fsanitize=address,undefined)
endif()

function(calrt_apply_flags target)
  target_compile_options(${target} PRIVATE ${CALRT_WARNINGS})
endfunction()
