# Writes a C++ source that defines `extern const std::string_view NAME` holding the bytes of IN.
file(READ "${IN}" content)
set(delim "BENSE_EMBED")
file(WRITE "${OUT}" "#include <string_view>\nnamespace bense::embedded {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"${delim}(${content})${delim}\";\n}\n")
