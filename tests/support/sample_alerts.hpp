#pragma once

#include "reckon/notify/alert.hpp"

#include <vector>

namespace reckon::test {

// Three tests as a health run might report them: a conversion crash that is critical, a young
// test on watch, and a healthy one, each with figures a message must show.
inline std::vector<notify::Alert> sample_alerts() {
  using notify::Status;
  notify::Alert crash;
  crash.test_id = "exp-crash";
  crash.test_name = "Free shipping <$50> & more";
  crash.runtime_days = 12;
  crash.verdict = "LOSER";
  crash.control = {"Control", 12'150, 0.0500, 2.45, 49.0};
  crash.variant = {"Free shipping", 12'160, 0.0350, 1.96, 56.0};
  crash.status = Status::critical;
  crash.previous_status = Status::healthy;
  crash.reasons = {{"conversion_drop", Status::critical,
                    "variant converts 30.0 % below control; P(drop >= 20 %) = 99 %"}};

  notify::Alert young;
  young.test_id = "exp-young";
  young.test_name = "Bundle price";
  young.runtime_days = 4;
  young.control = {"Control", 800, 0.031, 1.50, 48.4};
  young.variant = {"Bundle", 790, 0.033, std::nullopt, std::nullopt};
  young.status = Status::watch;
  young.reasons = {{"min_runtime", Status::watch, "4 days live, fewer than 10"}};

  notify::Alert fine;
  fine.test_id = "exp-fine";
  fine.test_name = "Checkout copy";
  fine.runtime_days = 20;
  fine.control = {"Control", 40'000, 0.030, 1.80, 60.0};
  fine.variant = {"New copy", 40'100, 0.031, 1.86, 60.0};
  fine.status = Status::healthy;
  fine.previous_status = Status::healthy;
  return {crash, young, fine};
}

} // namespace reckon::test
