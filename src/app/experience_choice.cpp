#include "experience_choice.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>

namespace reckon::app {
namespace {

using util::ErrorCode;
using util::Result;

// The tests a message lists at most: enough to spot the one meant, short enough to read.
constexpr std::size_t k_listed = 20;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// "free-shipping-threshold", or "3003… (Free shipping over $50)" when the name says more.
std::string describe_test(const model::Experiment& experiment) {
  if (experiment.name.empty() || experiment.name == experiment.id) {
    return experiment.id;
  }
  return experiment.id + " (" + experiment.name + ")";
}

std::string list_tests(const std::vector<model::Experiment>& experiments,
                       const std::vector<std::size_t>& which) {
  std::string text;
  for (std::size_t i = 0; i < which.size() && i < k_listed; ++i) {
    text += (i > 0 ? ", " : "") + describe_test(experiments[which[i]]);
  }
  if (which.size() > k_listed) {
    text += ", and " + std::to_string(which.size() - k_listed) + " more";
  }
  return text;
}

std::vector<std::size_t> matching(const std::vector<model::Experiment>& experiments,
                                  const std::function<bool(const model::Experiment&)>& matches) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    if (matches(experiments[i])) {
      found.push_back(i);
    }
  }
  return found;
}

// The index of the one test `wanted` names: by id, by slug, by name (case aside), in that order.
Result<std::size_t> find_experiment(const std::vector<model::Experiment>& experiments,
                                    const std::string& wanted, const std::string& source_name) {
  const std::vector<std::function<bool(const model::Experiment&)>> rules{
      [&](const model::Experiment& e) { return e.id == wanted; },
      [&](const model::Experiment& e) { return experience_slug(e.name) == wanted; },
      [&](const model::Experiment& e) { return same_ignoring_case(e.name, wanted); }};
  const char* const rule_names[] = {"id", "slug", "name"};
  for (std::size_t rule = 0; rule < rules.size(); ++rule) {
    const std::vector<std::size_t> found = matching(experiments, rules[rule]);
    if (found.size() == 1) {
      return found.front();
    }
    if (found.size() > 1) {
      return util::make_error(ErrorCode::usage, "--experience",
                              "\"" + wanted + "\" is the " + rule_names[rule] + " of " +
                                  std::to_string(found.size()) + " tests in " + source_name + ": " +
                                  list_tests(experiments, found) + "; name one by its id");
    }
  }
  std::vector<std::size_t> all(experiments.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
  }
  return util::make_error(
      ErrorCode::usage, "--experience",
      "no experiment \"" + wanted + "\" in " + source_name +
          " (by id, slug or name); the tests there: " + list_tests(experiments, all));
}

} // namespace

std::string experience_slug(const std::string& name) {
  std::string slug;
  for (const char c : name) {
    const char low = lower(c);
    if ((low >= 'a' && low <= 'z') || (low >= '0' && low <= '9')) {
      slug.push_back(low);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  if (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  return slug;
}

Result<std::vector<std::size_t>>
chosen_experiments(const std::vector<model::Experiment>& experiments,
                   const std::vector<std::string>& wanted, const std::string& source_name) {
  std::vector<std::size_t> chosen;
  for (const std::string& value : wanted) {
    const Result<std::size_t> found = find_experiment(experiments, value, source_name);
    if (!found) {
      return found.error();
    }
    if (std::find(chosen.begin(), chosen.end(), *found) == chosen.end()) {
      chosen.push_back(*found);
    }
  }
  return chosen;
}

Result<model::Dataset> select_experiments(model::Dataset dataset,
                                          const std::vector<std::string>& wanted,
                                          const std::string& source_name) {
  if (wanted.empty()) {
    return dataset;
  }
  const auto chosen = chosen_experiments(dataset.experiments, wanted, source_name);
  if (!chosen) {
    return chosen.error();
  }
  model::Dataset selected;
  for (const std::size_t index : *chosen) {
    selected.experiments.push_back(std::move(dataset.experiments[index]));
  }
  return selected;
}

} // namespace reckon::app
