# Writes a C++ source that defines `extern const std::string_view NAME` holding the bytes of IN.
# With CORE (Lua files of shared local functions, separated by "|"), their text goes right
# after IN's first line, in order: a Redis function library must start with its
# "#!lua name=..." line, and libraries cannot call one another, so code that two libraries
# share is put into each of them.
file(READ "${IN}" content)
if(DEFINED CORE AND NOT CORE STREQUAL "")
    string(REPLACE "|" ";" core_files "${CORE}")
    set(core "")
    foreach(f IN LISTS core_files)
        file(READ "${f}" one)
        string(APPEND core "${one}\n")
    endforeach()
    string(FIND "${content}" "\n" first_line_end)
    math(EXPR rest_start "${first_line_end} + 1")
    string(SUBSTRING "${content}" 0 ${rest_start} head)
    string(SUBSTRING "${content}" ${rest_start} -1 rest)
    set(content "${head}${core}\n${rest}")
endif()
set(delim "BENSE_EMBED")
file(WRITE "${OUT}" "#include <string_view>\nnamespace bense::embedded {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"${delim}(${content})${delim}\";\n}\n")
