#include "batch_sampling.hpp"

#include "gamma_sampler.hpp"
#include "philox_stream.hpp"

namespace reckon::stats::detail {
namespace {

PhiloxStream open_stream(const StreamKey& key) {
  // The component shares the arm's counter word: arms and components never collide because
  // the component sits in the upper 32 bits.
  return PhiloxStream(key.seed, key.stream, key.chunk,
                      (static_cast<std::uint64_t>(key.component) << 32) | key.arm);
}

} // namespace

void fill_beta(std::span<double> out, BetaParams params, const StreamKey& key) noexcept {
  PhiloxStream rng = open_stream(key);
  const BetaSampler sampler(params.alpha, params.beta);
  for (double& value : out) {
    value = sampler.draw(rng);
  }
}

void fill_standard_normal(std::span<double> out, const StreamKey& key) noexcept {
  PhiloxStream rng = open_stream(key);
  for (double& value : out) {
    value = rng.normal();
  }
}

} // namespace reckon::stats::detail
