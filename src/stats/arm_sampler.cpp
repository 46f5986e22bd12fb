#include "arm_sampler.hpp"

#include <cmath>
#include <variant>

namespace reckon::stats::detail {
namespace {

struct Flatten {
  ArmSampler operator()(const BetaParams& beta) const { return {Shape::beta, beta, 0.0, 0.0}; }
  ArmSampler operator()(const LogNormalParams& value) const {
    return {Shape::lognormal, {}, value.log_location, value.log_scale};
  }
  ArmSampler operator()(const NormalParams& value) const {
    return {Shape::normal, {}, value.mean, value.sd};
  }
  ArmSampler operator()(const RateTimesValue& product) const {
    ArmSampler sampler = std::visit(*this, product.per_order);
    sampler.shape =
        sampler.shape == Shape::lognormal ? Shape::rate_times_lognormal : Shape::rate_times_normal;
    sampler.rate = product.rate;
    return sampler;
  }
};

} // namespace

ArmSampler flatten(const ArmPosterior& posterior) {
  return std::visit(Flatten{}, posterior);
}

bool is_signed(Shape shape) {
  return shape == Shape::normal || shape == Shape::rate_times_normal;
}

void fill_arm(const ArmSampler& arm, std::span<double> out, std::span<double> temp,
              StreamKey key) noexcept {
  const auto fill_value = [&] {
    key.component = k_value_component;
    fill_standard_normal(out, key);
    const double location = arm.location;
    const double scale = arm.scale;
    if (arm.shape == Shape::lognormal || arm.shape == Shape::rate_times_lognormal) {
      exponentiate_affine(out, location, scale);
    } else {
      for (double& x : out) {
        x = location + scale * x;
      }
    }
  };
  switch (arm.shape) {
  case Shape::beta:
    key.component = k_rate_component;
    fill_beta(out, arm.rate, key);
    return;
  case Shape::lognormal:
  case Shape::normal:
    fill_value();
    return;
  case Shape::rate_times_lognormal:
  case Shape::rate_times_normal:
    fill_value();
    key.component = k_rate_component;
    fill_beta(temp, arm.rate, key);
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] *= temp[i];
    }
    return;
  }
}

} // namespace reckon::stats::detail
