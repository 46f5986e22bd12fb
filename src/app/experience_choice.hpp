#pragma once

#include "reckon/model/experiment.hpp"
#include "reckon/util/result.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace reckon::app {

// The experiments of `dataset` that `wanted` names (--experience, repeatable), in the order
// asked, each once; all of them when `wanted` is empty. A value names a test by its id, else by
// its slug (its name lowercased, every run of other characters than letters and digits one
// "-": "Free shipping over $50" is free-shipping-over-50), else by its name, case aside. A
// value that names no test, or several by slug or name, is a usage error on --experience that
// lists the tests there are (`id (name)`, the first 20) or the ones it names.
util::Result<model::Dataset> select_experiments(model::Dataset dataset,
                                                const std::vector<std::string>& wanted,
                                                const std::string& source_name);

// The indices in `experiments` of those `wanted` names, as select_experiments finds them.
util::Result<std::vector<std::size_t>>
chosen_experiments(const std::vector<model::Experiment>& experiments,
                   const std::vector<std::string>& wanted, const std::string& source_name);

// "free-shipping-over-50" for "Free shipping over $50".
std::string experience_slug(const std::string& name);

} // namespace reckon::app
