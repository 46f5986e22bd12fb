#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace reckon::report::html {

// `text` safe inside an element or a quoted attribute: & < > " ' spelled as entities.
std::string escape(std::string_view text);

// JSON text safe inside <script type="application/json">: every `<` written as \u003c, which
// JSON reads back as the same character, so no `</script>` or `<!--` can end the element.
std::string script_json(std::string_view json);

// A probability for people: "97.3 %", ">99.9 %", "<0.1 %"; "–" when absent.
std::string probability(std::optional<double> p);

// GrowthBook's colouring of a chance to win: "win" at 95 % or more, "lose" at 5 % or less,
// else empty.
std::string_view chance_class(std::optional<double> p);

// The text for a missing number.
inline constexpr std::string_view k_missing = "–";

// A metric's value as people read it: rates as percentages ("3.12 %"), amounts with two
// decimals.
std::string metric_value(std::string_view metric, std::optional<double> value);

// "[low, high]" in the metric's units; "–" unless both are known.
std::string metric_interval(std::string_view metric, std::optional<double> low,
                            std::optional<double> high);

// A relative uplift: "+6.1 %".
std::string uplift(std::optional<double> fraction);

// "[-1.2 %, +8.0 %]".
std::string uplift_interval(std::optional<double> low, std::optional<double> high);

// `<tag class="css">text</tag>` with text escaped; no class attribute when `css` is empty.
std::string element(std::string_view tag, std::string_view css, std::string_view text);

} // namespace reckon::report::html
