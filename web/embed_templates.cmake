# Writes OUT, a C++ file defining jifen::web::EmbeddedTemplates(): every file of DIR by name,
# its bytes as a raw string literal.
file(GLOB files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(body "")
foreach(name ${files})
  file(READ ${DIR}/${name} text)
  string(FIND "${text}" ")jifen_template\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name}: contains the raw string delimiter")
  endif()
  string(APPEND body "      {\"${name}\", R\"jifen_template(${text})jifen_template\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from web/templates by web/embed_templates.cmake. Do not edit.
#include <map>
#include <string>

namespace jifen::web {

const std::map<std::string, std::string>& EmbeddedTemplates() {
  static const std::map<std::string, std::string> templates{
${body}  };
  return templates;
}

}  // namespace jifen::web
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
