#pragma once

#include <boost/math/policies/policy.hpp>

namespace reckon::stats::detail {

// Inputs reach this layer validated, so a Boost error handler could only fire on our own bug,
// which the callers' asserts catch. Ignoring errors (Boost then returns NaN or an infinity)
// keeps Boost from throwing inside functions that promise not to.
using MathPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::rounding_error<boost::math::policies::ignore_error>>;

} // namespace reckon::stats::detail
