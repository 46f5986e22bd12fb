// The bandit API's raw events recounted: users, converters and revenue per treatment, with
// duplicates, events without an assignment and repeat purchases counted, never dropped unsaid.

#include "reckon/parse/bandit.hpp"

#include "reckon/contract/bandit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reckon::parse {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view k_experiment =
    R"({"id":"exp_1","name":"Headlines","algorithm":"THOMPSON_SAMPLING","status":"active",)"
    R"("endAt":null,"treatments":[{"id":"trt_a","name":"Control","isControl":true},)"
    R"({"id":"trt_b","name":"Urgency","isControl":false}]})";

std::string envelope(std::string_view data) {
  return R"({"success":true,"data":)" + std::string(data) +
         R"(,"timestamp":"2026-09-29T06:00:00.000Z"})";
}

contract::ApiExchange exchange(std::string path, std::string body,
                               std::vector<std::pair<std::string, std::string>> query = {}) {
  contract::ApiExchange out;
  out.request = {
      std::string(contract::bandit::k_source), "GET", std::move(path), std::move(query), {}};
  out.body = std::move(body);
  out.origin = "test: GET " + out.request.path;
  return out;
}

contract::ApiExchange page(std::uint64_t offset, const std::vector<std::string>& events) {
  std::string data = "[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    data += (i > 0 ? "," : "") + events[i];
  }
  return exchange(contract::bandit::events_path("exp_1"), envelope(data + "]"),
                  {{"limit", "1000"}, {"offset", std::to_string(offset)}});
}

// An event of exp_1; `assignment` goes to metadata.assignmentId unless empty.
std::string event(const std::string& id, const std::string& type, const std::string& treatment,
                  const std::string& user, const std::string& assignment, const std::string& value,
                  const std::string& time) {
  return R"({"id":")" + id + R"(","experimentId":"exp_1","treatmentId":")" + treatment +
         R"(","userId":")" + user + R"(","eventType":")" + type + R"(","value":)" + value +
         R"(,"metadata":)" +
         (assignment.empty() ? "{}" : R"({"assignmentId":")" + assignment + R"("})") +
         R"(,"timestamp":")" + time + R"("})";
}

std::string assigned(const std::string& user, const std::string& treatment,
                     const std::string& time = "2026-09-20T10:00:00.000Z") {
  return event("evt_a_" + user, "ASSIGNMENT", treatment, user, "asgn_" + user, "null", time);
}

BanditData parse_ok(const std::vector<contract::ApiExchange>& exchanges) {
  auto parsed = parse_bandit(exchanges);
  EXPECT_TRUE(parsed) << parsed.error().describe();
  return parsed ? std::move(*parsed) : BanditData{};
}

TEST(BanditParse, CountsUsersConvertersAndRevenuePerTreatmentAndDay) {
  const std::vector<contract::ApiExchange> exchanges = {
      exchange("/experiments", envelope("[" + std::string(k_experiment) + "]")),
      page(
          0,
          {assigned("u1", "trt_a"), assigned("u2", "trt_a"),
           assigned("u3", "trt_b", "2026-09-21T23:59:00.000Z"),
           // u1 buys twice: one converter, revenue 10 + 5.5
           event("evt_c1", "CONVERSION", "trt_a", "u1", "asgn_u1", "10", "2026-09-20T11:00:00Z"),
           event("evt_c2", "CONVERSION", "trt_a", "u1", "asgn_u1", "5.5", "2026-09-22T11:00:00Z")}),
      // A server that returned fewer than asked: the next page starts at what came back.
      page(5, {event("evt_c3", "CONVERSION", "trt_b", "u3", "", "20", "2026-09-22T01:00:00Z"),
               event("evt_v", "VIEW", "trt_b", "u3", "asgn_u3", "null", "2026-09-22T01:00:00Z")}),
      page(7, {})};
  const BanditData data = parse_ok(exchanges);
  ASSERT_EQ(data.dataset.experiments.size(), 1u);
  const model::Experiment& experiment = data.dataset.experiments[0];
  EXPECT_EQ(experiment.source, "bandit");
  EXPECT_EQ(experiment.status, "started");
  EXPECT_TRUE(experiment.adaptive_allocation);
  ASSERT_EQ(experiment.cells.size(), 3u); // overall, 2026-09-20, 2026-09-21
  const model::CountsCell& overall = experiment.cells[0];
  EXPECT_TRUE(overall.slice.is_overall());
  EXPECT_EQ(overall.arms[0].visitors, 2u);
  EXPECT_EQ(overall.arms[0].conversions, 1u);
  EXPECT_DOUBLE_EQ(overall.arms[0].revenue, 15.5);
  EXPECT_DOUBLE_EQ(*overall.arms[0].revenue_sq, 15.5 * 15.5);
  EXPECT_EQ(overall.arms[1].visitors, 1u);
  EXPECT_EQ(overall.arms[1].conversions, 1u); // by the legacy triplet
  EXPECT_DOUBLE_EQ(overall.arms[1].revenue, 20.0);
  EXPECT_TRUE(overall.arms[0].reported.empty());
  EXPECT_EQ(experiment.cells[1].slice.segment, "2026-09-20");
  EXPECT_EQ(experiment.cells[1].arms[0].visitors, 2u);
  EXPECT_EQ(experiment.cells[1].arms[1].visitors, 0u);
  EXPECT_EQ(experiment.cells[2].slice.segment, "2026-09-21");
  EXPECT_EQ(experiment.cells[2].arms[1].conversions, 1u); // u3's day, though it bought later
  ASSERT_EQ(data.tallies.size(), 1u);
  const BanditEventTally& tally = data.tallies[0];
  EXPECT_EQ(tally.pages, 3u);
  EXPECT_EQ(tally.events, 7u);
  EXPECT_EQ(tally.repeat_conversions, 1u);
  EXPECT_EQ(tally.other_types, 1u);
  EXPECT_EQ(tally.duplicates, 0u);
  EXPECT_EQ(tally.without_assignment, 0u);
  EXPECT_TRUE(tally.complete);
  ASSERT_GE(experiment.source_notes.size(), 3u);
  EXPECT_THAT(experiment.source_notes[0], HasSubstr("reported: null"));
  EXPECT_THAT(experiment.source_notes[1], HasSubstr("1 repeat conversions added to revenue only"));
  EXPECT_THAT(experiment.source_notes[2], HasSubstr("no sample-ratio test applies"));
}

TEST(BanditParse, CountsDuplicatesAndEventsWithoutAnAssignment) {
  const std::string conversion =
      event("evt_c1", "CONVERSION", "trt_b", "u2", "asgn_u2", "12", "2026-09-20T12:00:00Z");
  const std::vector<contract::ApiExchange> exchanges = {
      exchange("/experiments", envelope("[" + std::string(k_experiment) + "]")),
      page(0, {assigned("u1", "trt_a"), assigned("u2", "trt_b"), conversion,
               conversion, // the same id twice (a page that shifted)
               // the same event again under a new id (sent twice)
               event("evt_c1_again", "CONVERSION", "trt_b", "u2", "asgn_u2", "12",
                     "2026-09-20T12:00:00Z"),
               // no assignment by id, and the triplet names a user never assigned
               event("evt_c9", "CONVERSION", "trt_a", "ghost", "asgn_ghost", "30",
                     "2026-09-20T13:00:00Z"),
               // an unlisted treatment
               assigned("u7", "trt_zz")}),
      page(7, {})};
  const BanditData data = parse_ok(exchanges);
  const BanditEventTally& tally = data.tallies.at(0);
  EXPECT_EQ(tally.events, 7u);
  EXPECT_EQ(tally.duplicates, 2u);
  EXPECT_EQ(tally.without_assignment, 1u);
  EXPECT_EQ(tally.foreign, 1u);
  const model::CountsCell& overall = data.dataset.experiments[0].cells[0];
  EXPECT_EQ(overall.arms[0].visitors, 1u);
  EXPECT_EQ(overall.arms[0].conversions, 0u);
  EXPECT_EQ(overall.arms[1].conversions, 1u);
  EXPECT_DOUBLE_EQ(overall.arms[1].revenue, 12.0);
  const std::string& note = data.dataset.experiments[0].source_notes[1];
  EXPECT_THAT(note, HasSubstr("2 duplicates counted once"));
  EXPECT_THAT(note, HasSubstr("1 conversions without an assignment left out"));
  EXPECT_THAT(note, HasSubstr("1 events of another experiment or an unlisted treatment"));
}

TEST(BanditParse, AHistoryWithoutItsClosingEmptyPageIsIncomplete) {
  const std::vector<contract::ApiExchange> exchanges = {
      exchange("/experiments", envelope("[" + std::string(k_experiment) + "]")),
      page(0, {assigned("u1", "trt_a"), assigned("u2", "trt_b")}),
      page(5, {assigned("u3", "trt_b")})}; // not at offset 2: the chain stops there
  const BanditData data = parse_ok(exchanges);
  EXPECT_FALSE(data.tallies.at(0).complete);
  EXPECT_EQ(data.tallies.at(0).events, 2u);
  EXPECT_THAT(data.dataset.experiments[0].source_notes[1], HasSubstr("fetch again to resume"));
}

TEST(BanditParse, WithoutAControlTheFirstTreatmentIsOneAndADraftHasNoCells) {
  const std::string experiment =
      R"({"id":"exp_1","name":"Draft","status":"DRAFT","treatments":[{"id":"t1","name":"One"},)"
      R"({"id":"t2","name":"Two"}]})";
  const BanditData data = parse_ok({exchange("/experiments", envelope("[" + experiment + "]"))});
  const model::Experiment& parsed = data.dataset.experiments.at(0);
  EXPECT_EQ(parsed.status, "pending");
  EXPECT_TRUE(parsed.variations[0].is_control);
  EXPECT_FALSE(parsed.variations[1].is_control);
  EXPECT_TRUE(parsed.cells.empty());
  EXPECT_TRUE(data.tallies.empty());
  ASSERT_EQ(parsed.source_notes.size(), 3u);
  EXPECT_THAT(parsed.source_notes[1], HasSubstr("the first, \"One\", is the control"));
  EXPECT_EQ(parsed.source_notes[2], "no events stored: nothing to analyse");
}

TEST(BanditParse, AFailedEnvelopeNamesItsResponseAndError) {
  const std::vector<contract::ApiExchange> exchanges = {
      exchange("/experiments", R"({"success":false,"data":null,"error":"Invalid API key",)"
                               R"("timestamp":"2026-09-29T06:00:00.000Z"})")};
  const auto parsed = parse_bandit(exchanges);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().where, "test: GET /experiments: success");
  EXPECT_THAT(parsed.error().message, HasSubstr("\"Invalid API key\""));
}

TEST(BanditParse, AnUnreadablePageIsToldAndTheRestIsCounted) {
  std::vector<UnreadableResponse> told;
  BanditParseOptions options;
  options.on_unreadable = [&told](UnreadableResponse response) { told.push_back(response); };
  const std::vector<contract::ApiExchange> exchanges = {
      exchange("/experiments", envelope("[" + std::string(k_experiment) + "]")),
      page(0, {assigned("u1", "trt_a")}),
      page(1, {R"({"id":"e","experimentId":"exp_1","eventType":"SWIPE","timestamp":"x"})"})};
  const auto parsed = parse_bandit(exchanges, options);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].experience_id, "exp_1");
  EXPECT_THAT(told[0].error.message, HasSubstr("SWIPE"));
  EXPECT_FALSE(parsed->tallies.at(0).complete);
  EXPECT_EQ(parsed->dataset.experiments[0].cells[0].arms[0].visitors, 1u);
}

} // namespace
} // namespace reckon::parse
