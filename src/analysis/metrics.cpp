#include "reckon/analysis/metrics.hpp"

#include <algorithm>
#include <array>

namespace reckon::analysis {
namespace {

constexpr auto k_higher = stats::Direction::higher_is_better;
constexpr auto k_lower = stats::Direction::lower_is_better;
constexpr auto rate = MetricKind::rate_over_visitors;
constexpr auto per_order = MetricKind::value_per_order;
constexpr auto per_visitor = MetricKind::value_per_visitor;
constexpr auto count = MetricKind::count;
constexpr auto ratio = MetricKind::ratio;

constexpr std::string_view k_input = "a count or total: an input to the other metrics";
constexpr std::string_view k_bare_ratio = "a share the vendor reports without statistics";
constexpr std::string_view k_subscription =
    "needs a posterior of subscription orders per visitor, which the API does not report";

// Order within a group follows the research note's listing.
constexpr std::array<MetricDefinition, 55> k_catalogue{{
    // Core.
    {"conversion_rate", rate, Amount::none, k_higher, "n_orders", "", true, ""},
    {"net_revenue_per_visitor", per_visitor, Amount::revenue, k_higher, "", "", true, ""},
    {"net_revenue_per_order", per_order, Amount::revenue, k_higher, "", "n_orders", true, ""},
    {"gross_profit_per_visitor", per_visitor, Amount::profit, k_higher, "", "", true, ""},
    {"gross_profit_per_order", per_order, Amount::profit, k_higher, "", "n_orders", true, ""},
    // Funnel rates over visitors.
    {"add_to_cart_rate", rate, Amount::none, k_higher, "n_visitors_added_to_cart", "", true, ""},
    {"checkout_begin_rate", rate, Amount::none, k_higher, "n_visitors_checkout_started", "", true,
     ""},
    {"checkout_enter_contact_info_rate", rate, Amount::none, k_higher,
     "n_visitors_checkout_contact_info_submitted", "", true, ""},
    {"checkout_address_submitted_rate", rate, Amount::none, k_higher,
     "n_visitors_checkout_address_info_submitted", "", true, ""},
    {"abandoned_cart_rate", rate, Amount::none, k_lower, "n_visitors_abandoned_cart", "", true, ""},
    {"abandoned_checkout_rate", rate, Amount::none, k_lower, "n_visitors_abandoned_checkout", "",
     true, ""},
    {"view_product_page_rate", rate, Amount::none, k_higher, "n_visitors_viewed_product_page", "",
     true, ""},
    {"view_collection_page_rate", rate, Amount::none, k_higher, "n_visitors_viewed_collection_page",
     "", true, ""},
    // Order-level values known only through their reported intervals.
    {"net_product_revenue_per_order", per_order, Amount::other, k_higher, "net_product_revenue",
     "n_orders", true, ""},
    {"net_shipping_revenue_per_order", per_order, Amount::other, k_higher, "", "n_orders", true,
     ""},
    {"avg_units_per_order", per_order, Amount::other, k_higher, "total_units", "n_orders", true,
     ""},
    {"avg_product_revenue_per_unit", per_order, Amount::other, k_higher, "net_product_revenue",
     "total_units", true, ""},
    {"avg_discount_per_all_orders", per_order, Amount::other, k_higher, "total_discount",
     "n_orders", true, ""},
    {"avg_discount_per_discounted_order", per_order, Amount::other, k_higher, "total_discount",
     "n_orders_discounted", true, ""},
    {"subscription_revenue_per_order", per_order, Amount::other, k_higher,
     "subscription_net_revenue", "n_subscription_orders", true, ""},
    {"subscription_product_revenue_per_order", per_order, Amount::other, k_higher,
     "subscription_product_revenue", "n_subscription_orders", true, ""},
    // Per-visitor values without a per-order posterior to multiply.
    {"subscription_orders_per_visitor", per_visitor, Amount::other, k_higher,
     "n_subscription_orders", "", true, k_subscription},
    {"subscription_revenue_per_visitor", per_visitor, Amount::other, k_higher,
     "subscription_net_revenue", "", true, k_subscription},
    {"subscription_gross_profit_per_visitor", per_visitor, Amount::other, k_higher,
     "subscription_gross_profit", "", true, k_subscription},
    {"net_revenue_from_post_purchase_offer", per_visitor, Amount::other, k_higher, "", "", true,
     "needs the post-purchase offer's order values, which the API does not report"},
    {"net_revenue_from_upsell", per_visitor, Amount::other, k_higher, "", "", true,
     "needs the upsell's order values, which the API does not report"},
    {"revenue_per_user", per_visitor, Amount::other, k_higher, "", "", true,
     "the experimentation platform reports it without orders or the spread of order values"},
    // Shares reported as bare values.
    {"pct_subscription_orders", ratio, Amount::none, k_higher, "", "", false, k_bare_ratio},
    {"pct_orders_free_shipping", ratio, Amount::none, k_higher, "", "", false, k_bare_ratio},
    {"pct_revenue_with_cogs", ratio, Amount::none, k_higher, "", "", false, k_bare_ratio},
    {"pct_orders_with_post_purchase_offer", ratio, Amount::none, k_higher, "", "", false,
     k_bare_ratio},
    {"pct_orders_with_upsell", ratio, Amount::none, k_higher, "", "", false, k_bare_ratio},
    // Counts and totals.
    {"n_visitors", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_orders", count, Amount::none, k_higher, "", "", false, k_input},
    {"net_revenue", count, Amount::none, k_higher, "", "", false, k_input},
    {"gross_profit", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_viewed_product_page", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_viewed_collection_page", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_added_to_cart", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_checkout_started", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_checkout_contact_info_submitted", count, Amount::none, k_higher, "", "", false,
     k_input},
    {"n_visitors_checkout_address_info_submitted", count, Amount::none, k_higher, "", "", false,
     k_input},
    {"n_visitors_abandoned_cart", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_abandoned_checkout", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_visitors_ordered", count, Amount::none, k_higher, "", "", false, k_input},
    {"net_product_revenue", count, Amount::none, k_higher, "", "", false, k_input},
    {"total_discount", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_orders_discounted", count, Amount::none, k_higher, "", "", false, k_input},
    {"total_units", count, Amount::none, k_higher, "", "", false, k_input},
    {"n_subscription_orders", count, Amount::none, k_higher, "", "", false, k_input},
    {"subscription_net_revenue", count, Amount::none, k_higher, "", "", false, k_input},
    {"subscription_gross_profit", count, Amount::none, k_higher, "", "", false, k_input},
    {"subscription_product_revenue", count, Amount::none, k_higher, "", "", false, k_input},
    {"subscription_units", count, Amount::none, k_higher, "", "", false, k_input},
    {"net_shipping_revenue", count, Amount::none, k_higher, "", "", false, k_input},
}};

} // namespace

std::span<const MetricDefinition> metric_catalogue() {
  return k_catalogue;
}

std::optional<MetricDefinition> find_metric(std::string_view name) {
  const auto found = std::find_if(k_catalogue.begin(), k_catalogue.end(),
                                  [&](const MetricDefinition& m) { return m.name == name; });
  if (found == k_catalogue.end()) {
    return std::nullopt;
  }
  return *found;
}

bool analysable_from_counts(const MetricDefinition& metric) {
  return metric.amount != Amount::other &&
         (metric.name == "conversion_rate" || metric.kind == MetricKind::value_per_order ||
          metric.kind == MetricKind::value_per_visitor);
}

} // namespace reckon::analysis
