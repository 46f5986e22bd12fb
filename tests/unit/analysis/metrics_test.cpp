#include "reckon/analysis/metrics.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace reckon::analysis {
namespace {

TEST(MetricCatalogue, KnowsEveryAnalyticsMetricOfTheResearchNote) {
  // research/intelligems-api.md §1.4.2, "Metric names".
  for (const char* name : {"n_visitors",
                           "n_orders",
                           "conversion_rate",
                           "net_revenue",
                           "net_revenue_per_visitor",
                           "net_revenue_per_order",
                           "gross_profit_per_visitor",
                           "gross_profit_per_order",
                           "gross_profit",
                           "add_to_cart_rate",
                           "checkout_begin_rate",
                           "checkout_enter_contact_info_rate",
                           "checkout_address_submitted_rate",
                           "abandoned_cart_rate",
                           "abandoned_checkout_rate",
                           "view_product_page_rate",
                           "view_collection_page_rate",
                           "n_visitors_viewed_product_page",
                           "n_visitors_viewed_collection_page",
                           "n_visitors_added_to_cart",
                           "n_visitors_checkout_started",
                           "n_visitors_checkout_contact_info_submitted",
                           "n_visitors_checkout_address_info_submitted",
                           "n_visitors_abandoned_cart",
                           "n_visitors_abandoned_checkout",
                           "n_visitors_ordered",
                           "net_product_revenue",
                           "net_product_revenue_per_order",
                           "net_shipping_revenue_per_order",
                           "total_discount",
                           "n_orders_discounted",
                           "avg_discount_per_all_orders",
                           "avg_discount_per_discounted_order",
                           "avg_units_per_order",
                           "avg_product_revenue_per_unit",
                           "total_units",
                           "pct_orders_free_shipping",
                           "pct_revenue_with_cogs",
                           "n_subscription_orders",
                           "pct_subscription_orders",
                           "subscription_net_revenue",
                           "subscription_gross_profit",
                           "subscription_gross_profit_per_visitor",
                           "subscription_orders_per_visitor",
                           "subscription_revenue_per_order",
                           "subscription_revenue_per_visitor",
                           "subscription_product_revenue",
                           "subscription_units",
                           "pct_orders_with_post_purchase_offer",
                           "net_revenue_from_post_purchase_offer",
                           "pct_orders_with_upsell",
                           "net_revenue_from_upsell"}) {
    EXPECT_TRUE(find_metric(name)) << name;
  }
  EXPECT_FALSE(find_metric("revenue_per_visitor"));
  EXPECT_FALSE(find_metric("aov")); // the timeseries name; the parser renames it
}

TEST(MetricCatalogue, NamesAreUniqueAndEveryRateNamesItsCount) {
  std::set<std::string_view> names;
  for (const MetricDefinition& metric : metric_catalogue()) {
    EXPECT_TRUE(names.insert(metric.name).second) << metric.name;
    if (metric.kind == MetricKind::rate_over_visitors) {
      ASSERT_TRUE(find_metric(metric.count_field)) << metric.name;
      EXPECT_EQ(find_metric(metric.count_field)->kind, MetricKind::count) << metric.name;
    }
    EXPECT_EQ(metric.modelled(), metric.no_model_reason.empty());
  }
}

TEST(MetricCatalogue, AbandonmentIsTheOnlyLowerIsBetter) {
  for (const MetricDefinition& metric : metric_catalogue()) {
    const bool abandonment =
        metric.name == "abandoned_cart_rate" || metric.name == "abandoned_checkout_rate";
    EXPECT_EQ(metric.direction == stats::Direction::lower_is_better, abandonment) << metric.name;
  }
}

TEST(MetricCatalogue, CountsAndBareRatiosAreNotReanalysedAndSayWhy) {
  EXPECT_FALSE(find_metric("n_visitors")->modelled());
  EXPECT_NE(find_metric("pct_subscription_orders")->no_model_reason.find("without statistics"),
            std::string_view::npos);
  EXPECT_FALSE(find_metric("pct_subscription_orders")->reported_with_statistics);
  EXPECT_TRUE(find_metric("net_revenue_per_order")->modelled());
  EXPECT_TRUE(analysable_from_counts(*find_metric("gross_profit_per_order")));
  EXPECT_FALSE(analysable_from_counts(*find_metric("add_to_cart_rate")));
}

} // namespace
} // namespace reckon::analysis
