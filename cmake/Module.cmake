# calrt_module(name DEPS ...): a static library from src/<name>/*.cpp with public headers in
# include/calrt/<name>/. Files are globbed so that adding a file needs no edit here. A module with no
# sources yet is an interface library that only carries its dependencies.
function(calrt_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)
    add_library(calrt_${name} INTERFACE)
    target_include_directories(calrt_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(calrt_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(calrt_${name} STATIC ${sources})
  target_include_directories(calrt_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(calrt_${name} PUBLIC ${ARG_DEPS})
  calrt_apply_flags(calrt_${name})
  target_precompile_headers(calrt_${name} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch.hpp)
endfunction()
