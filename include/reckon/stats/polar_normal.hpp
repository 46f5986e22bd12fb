#pragma once

#include <cmath>

namespace reckon::stats {

// Standard normal variates by Marsaglia's polar form of Box-Muller, from any source of
// uniforms on the open interval (0, 1): a point in the unit disc gives two normals with one
// logarithm and no sine or cosine, which cost more than the 21% of points rejected. The second
// normal is kept for the next call, so one PolarNormal serves one stream.
class PolarNormal {
public:
  template <class OpenUniform>
  double draw(OpenUniform&& open_uniform) {
    if (m_has_spare) {
      m_has_spare = false;
      return m_spare;
    }
    double x = 0.0;
    double y = 0.0;
    double radius2 = 0.0;
    do {
      x = 2.0 * open_uniform() - 1.0;
      y = 2.0 * open_uniform() - 1.0;
      radius2 = x * x + y * y;
    } while (radius2 >= 1.0 || radius2 == 0.0);
    const double scale = std::sqrt(-2.0 * std::log(radius2) / radius2);
    m_spare = y * scale;
    m_has_spare = true;
    return x * scale;
  }

private:
  double m_spare = 0.0;
  bool m_has_spare = false;
};

} // namespace reckon::stats
