// Escaping for text placed in HTML and SVG documents written by the reports.
#ifndef TAILOR_EVAL_HTML_ESCAPE_H_
#define TAILOR_EVAL_HTML_ESCAPE_H_

#include <string>
#include <string_view>

namespace tailor {

// Replaces & < > " ' by character references, so the result is safe as element text and as a
// quoted attribute value. Other bytes (UTF-8 included) are copied. Pure; thread-safe.
std::string HtmlEscape(std::string_view text);

}  // namespace tailor

#endif  // TAILOR_EVAL_HTML_ESCAPE_H_
