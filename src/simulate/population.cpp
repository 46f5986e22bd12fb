#include "reckon/simulate/population.hpp"

#include "reckon/stats/beta.hpp"
#include "reckon/stats/exact.hpp"
#include "reckon/stats/parallel.hpp"

#include "arm_model.hpp"
#include "random.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace reckon::simulate {

void Tally::add(const Tally& other) {
  visitors += other.visitors;
  orders += other.orders;
  for (std::size_t stage = 0; stage < reached.size(); ++stage) {
    reached[stage] += other.reached[stage];
  }
  abandoned_cart += other.abandoned_cart;
  abandoned_checkout += other.abandoned_checkout;
  revenue_cents += other.revenue_cents;
  revenue_sq += other.revenue_sq;
}

std::vector<Tally> sum_arms(std::span<const DayTallies> days, std::size_t arm_count) {
  std::vector<Tally> total(arm_count);
  for (const DayTallies& day : days) {
    for (std::size_t arm = 0; arm < arm_count; ++arm) {
      total[arm].add(day.arms[arm]);
    }
  }
  return total;
}

std::vector<Tally> sum_segment(std::span<const DayTallies> days, std::size_t arm_count,
                               std::size_t dimension, std::size_t value) {
  std::vector<Tally> total(arm_count);
  for (const DayTallies& day : days) {
    for (std::size_t arm = 0; arm < arm_count; ++arm) {
      total[arm].add(day.segments[dimension][value][arm]);
    }
  }
  return total;
}

namespace {

using detail::ArmModel;
using detail::Random;

constexpr std::int64_t k_day_ms = 86'400'000;

// What one day needs besides its own random stream.
struct DayPlan {
  const std::vector<ArmModel>* arms = nullptr;
  const std::vector<std::vector<double>>* dimension_shares = nullptr;
  const detail::AllocationFactors* allocation_factors = nullptr;
  std::vector<double> allocation;
  double expected_visitors = 0.0;
};

DayTallies empty_day(model::Date date, std::size_t arm_count,
                     const std::vector<std::vector<double>>& dimension_shares) {
  DayTallies day;
  day.date = date;
  day.arms.assign(arm_count, Tally{});
  for (const std::vector<double>& values : dimension_shares) {
    day.segments.emplace_back(values.size(), std::vector<Tally>(arm_count));
  }
  return day;
}

// One visitor's conversion, funnel stages and order value, drawn in this order.
Tally simulate_visitor(const ArmModel& model, const std::vector<std::size_t>& values, bool weekend,
                       Random& random, std::vector<std::uint64_t>* order_cents) {
  Tally one;
  one.visitors = 1;
  if (random.bernoulli(model.conversion_probability(values, weekend))) {
    one.orders = 1;
    one.reached.fill(1);
    const double order_value = std::exp(model.log_mu + model.log_sigma * random.normal());
    const double cents = std::max(1.0, std::round(order_value * 100.0));
    one.revenue_cents = static_cast<std::uint64_t>(cents);
    one.revenue_sq = (cents / 100.0) * (cents / 100.0);
    if (order_cents != nullptr) {
      order_cents->push_back(one.revenue_cents);
    }
    return one;
  }
  // Stage by stage: reaching stage k given stage k - 1 has probability leak_k / leak_k-1.
  double previous = 1.0;
  for (std::size_t stage = 0; stage < model::k_funnel_stages; ++stage) {
    const double leak = model.leak[stage];
    if (leak <= 0.0 || !random.bernoulli(leak / previous)) {
      break;
    }
    one.reached[stage] = 1;
    previous = leak;
  }
  one.abandoned_cart = one.reached[0];
  one.abandoned_checkout = one.reached[1];
  return one;
}

// A bandit user's assignment time within the day and, for a buyer, conversion time.
BanditUser bandit_user(std::size_t arm, const Tally& visit, std::int64_t day_start_ms,
                       Random& random) {
  BanditUser user;
  user.arm = arm;
  user.assigned_at_ms = day_start_ms + static_cast<std::int64_t>(random.below(k_day_ms));
  if (visit.orders != 0) {
    user.converted_at_ms =
        user.assigned_at_ms + 1000 * static_cast<std::int64_t>(60 + random.below(3540));
    user.value_cents = visit.revenue_cents;
  }
  return user;
}

// Users arrive in time order; ties keep their simulation order.
void order_users(std::vector<BanditUser>& users, std::size_t first_user) {
  std::stable_sort(
      users.begin() + static_cast<std::ptrdiff_t>(first_user), users.end(),
      [](const BanditUser& a, const BanditUser& b) { return a.assigned_at_ms < b.assigned_at_ms; });
  for (std::size_t i = first_user; i < users.size(); ++i) {
    users[i].index = i + 1;
  }
}

DayTallies simulate_day(const DayPlan& plan, model::Date date, std::uint64_t seed,
                        std::vector<BanditUser>* users,
                        std::vector<std::uint64_t>* order_cents = nullptr) {
  const std::vector<ArmModel>& arms = *plan.arms;
  const std::vector<std::vector<double>>& shares = *plan.dimension_shares;
  DayTallies day = empty_day(date, arms.size(), shares);
  const detail::AllocationFactors& factors = *plan.allocation_factors;
  // [combination]: the running sums of the arms' weights for visitors of that combination.
  const std::vector<std::vector<double>> cumulative_allocation =
      factors.cumulative(plan.allocation);
  double total = 0.0;
  for (const double share : plan.allocation) {
    total += std::max(0.0, share);
  }
  day.allocation = plan.allocation;
  for (double& share : day.allocation) {
    share = std::max(0.0, share) / total;
  }

  Random random(seed);
  const double lambda = plan.expected_visitors;
  const double drawn = std::round(lambda + std::sqrt(lambda) * random.normal());
  const auto visitors = static_cast<std::uint64_t>(std::max(0.0, drawn));
  std::vector<std::size_t> values(shares.size());
  const std::int64_t day_start_ms = date.epoch_seconds() * 1000;
  const std::size_t first_user = users != nullptr ? users->size() : 0;

  for (std::uint64_t visitor = 0; visitor < visitors; ++visitor) {
    // The arm's draw comes first, as before allocation multipliers existed, so that a scenario
    // without them keeps its random streams; the segment values then choose its weights.
    const double arm_draw = random.uniform();
    for (std::size_t d = 0; d < shares.size(); ++d) {
      values[d] = random.categorical(shares[d]);
    }
    const std::size_t arm =
        Random::pick(arm_draw, cumulative_allocation[factors.combination_of(values)]);
    const Tally one = simulate_visitor(arms[arm], values, date.is_weekend(), random, order_cents);
    day.arms[arm].add(one);
    for (std::size_t d = 0; d < shares.size(); ++d) {
      day.segments[d][values[d]][arm].add(one);
    }
    if (users != nullptr) {
      users->push_back(bandit_user(arm, one, day_start_ms, random));
    }
  }
  if (users != nullptr) {
    order_users(*users, first_user);
  }
  return day;
}

// Thompson sampling allocates each day's traffic by every arm's probability to be best under
// the conversion posteriors of all earlier days.
std::vector<double> thompson_allocation(const std::vector<Tally>& so_far) {
  std::vector<stats::BetaParams> posteriors;
  for (const Tally& arm : so_far) {
    posteriors.push_back(stats::beta_posterior(stats::BetaPrior{}, arm.orders, arm.visitors));
  }
  return stats::prob_best(posteriors);
}

ExperimentSimulation simulate_experiment(const model::Scenario& scenario, std::size_t index,
                                         const std::vector<std::vector<double>>& shares) {
  const model::ScenarioExperiment& experiment = scenario.experiments[index];
  ExperimentSimulation result;
  if (experiment.status == model::ScenarioStatus::pending) {
    return result;
  }
  std::vector<ArmModel> arms;
  const detail::AllocationFactors factors = detail::allocation_factors(scenario.store, experiment);
  std::vector<double> allocation;
  for (std::size_t arm = 0; arm < experiment.variations.size(); ++arm) {
    arms.push_back(detail::arm_model(scenario, experiment, arm));
    allocation.push_back(experiment.variations[arm].allocation_percent);
  }
  const bool bandit = experiment.source == model::ScenarioSource::bandit;
  std::vector<Tally> so_far(arms.size());
  for (std::int64_t d = 0; d < experiment.days(); ++d) {
    const model::Date date = experiment.start.plus_days(d);
    DayPlan plan{&arms, &shares, &factors, allocation,
                 detail::expected_visitors(scenario.store,
                                           static_cast<double>(experiment.daily_visitors), date)};
    if (bandit && d > 0) {
      plan.allocation = thompson_allocation(so_far);
    }
    const std::uint64_t seed =
        detail::unit_seed(scenario.seed, {"experiment", experiment.id, date.to_string()});
    result.days.push_back(simulate_day(plan, date, seed, bandit ? &result.users : nullptr));
    for (std::size_t arm = 0; arm < arms.size(); ++arm) {
      so_far[arm].add(result.days.back().arms[arm]);
    }
  }
  return result;
}

SitewideSimulation simulate_sitewide(const model::Scenario& scenario,
                                     const std::vector<std::vector<double>>& shares) {
  SitewideSimulation result;
  const model::SitewideTraffic& traffic = *scenario.store.sitewide;
  const std::vector<ArmModel> arms{detail::sitewide_model(scenario)};
  const detail::AllocationFactors factors; // one arm, no multipliers
  const std::int64_t length = traffic.end.days_since_epoch - traffic.start.days_since_epoch + 1;
  const model::Date first = traffic.start.plus_days(-length);
  result.window_begin = static_cast<std::size_t>(length);
  for (std::int64_t d = 0; d < 2 * length; ++d) {
    const model::Date date = first.plus_days(d);
    const DayPlan plan{&arms,
                       &shares,
                       &factors,
                       {1.0},
                       detail::expected_visitors(
                           scenario.store, static_cast<double>(traffic.daily_visitors), date)};
    const std::uint64_t seed = detail::unit_seed(scenario.seed, {"sitewide", date.to_string()});
    result.order_cents.emplace_back();
    result.days.push_back(simulate_day(plan, date, seed, nullptr, &result.order_cents.back()));
  }
  return result;
}

} // namespace

Simulation simulate_population(const model::Scenario& scenario) {
  const std::vector<std::vector<double>> shares = detail::cumulative_shares(scenario.store);
  Simulation result;
  result.experiments.resize(scenario.experiments.size());
  const std::size_t units = scenario.experiments.size() + (scenario.store.sitewide ? 1 : 0);
  // Each unit writes only its own slot, so the result does not depend on scheduling.
  stats::parallel_for(units, [&](std::size_t unit) {
    if (unit < scenario.experiments.size()) {
      result.experiments[unit] = simulate_experiment(scenario, unit, shares);
    } else {
      result.sitewide = simulate_sitewide(scenario, shares);
    }
  });
  return result;
}

} // namespace reckon::simulate
