#pragma once

#include "reckon/model/scenario.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reckon::simulate {

// What a group of visitors did. Revenue is kept in whole cents, so sums are exact and do not
// depend on the order they are taken in.
struct Tally {
  std::uint64_t visitors = 0;
  std::uint64_t orders = 0;
  // Visitors who reached each funnel stage (model::FunnelStage order); buyers reach them all.
  std::array<std::uint64_t, model::k_funnel_stages> reached{};
  std::uint64_t abandoned_cart = 0;     // added to cart, did not order
  std::uint64_t abandoned_checkout = 0; // began checkout, did not order
  std::uint64_t revenue_cents = 0;
  double revenue_sq = 0.0; // sum of squared order values, in currency units squared

  double revenue() const { return static_cast<double>(revenue_cents) / 100.0; }
  void add(const Tally& other);
};

// One simulated bandit user: when they were assigned, to which arm, and what they bought.
struct BanditUser {
  std::uint64_t index = 0; // 1-based within the experiment
  std::size_t arm = 0;
  std::int64_t assigned_at_ms = 0;  // Unix milliseconds
  std::int64_t converted_at_ms = 0; // 0 when the user did not order
  std::uint64_t value_cents = 0;
};

// One day of one experiment (or of the store): a tally per arm, and per arm within each value
// of each segment dimension.
struct DayTallies {
  model::Date date;
  std::vector<Tally> arms;
  // [dimension][value][arm], in the scenario's order of dimensions and values.
  std::vector<std::vector<std::vector<Tally>>> segments;
  // The share of new visitors each arm was assigned that day.
  std::vector<double> allocation;
};

struct ExperimentSimulation {
  std::vector<DayTallies> days;
  std::vector<BanditUser> users; // bandit experiments only, in assignment order
};

// Sitewide traffic: the comparison period's days first, then the reporting window's. One arm.
struct SitewideSimulation {
  std::vector<DayTallies> days;
  std::size_t window_begin = 0; // index of the reporting window's first day
  // [day]: every order's value in cents, in the order the day simulated them.
  std::vector<std::vector<std::uint64_t>> order_cents;
};

struct Simulation {
  std::vector<ExperimentSimulation> experiments; // in the scenario's order
  SitewideSimulation sitewide;                   // empty without a sitewide block
};

// Simulates every visitor of every experiment day by day: the arm by its allocation (Thompson
// sampling on the running conversion posteriors for bandit experiments), a value of each segment
// dimension by its share, a conversion with the probability the scenario plants for that arm,
// segment values and day type, the funnel stages, and a log-normal order value rounded to
// cents. The random numbers of each (experiment, day) come from their own generator, seeded by
// a stable hash of (seed, experiment, day), so the result is a pure function of the scenario
// and its seed, whatever runs in parallel. Pending experiments have no days.
Simulation simulate_population(const model::Scenario& scenario);

// Sums of a run of days: everything, or one dimension's value.
std::vector<Tally> sum_arms(std::span<const DayTallies> days, std::size_t arm_count);
std::vector<Tally> sum_segment(std::span<const DayTallies> days, std::size_t arm_count,
                               std::size_t dimension, std::size_t value);

} // namespace reckon::simulate
