// A village's awards and redemptions filed by subject and household for redemption admission
// (engine/household_events.h): what Collect gives a household's replay, in (date, sequence)
// order, without revoked or pending events; what Redeemed counts of a reward.
#include "engine/household_events.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jifen::engine {
namespace {

using ledger::RecordType;

Date D(const char* text) { return *Date::Parse(text); }

class HouseholdEventsTest : public ::testing::Test {
 protected:
  HouseholdEvents events_{D("2024-01-01"), 16};

  void Award(uint64_t sequence, const char* date, const char* subject, const char* item,
             bool revoked = false, bool pending = false) {
    events_.Add({.sequence = sequence,
                 .date = D(date),
                 .type = RecordType::kAward,
                 .qty = Quantity(),
                 .subject = subject,
                 .item = item,
                 .household = "",
                 .reward = "",
                 .revoked = revoked,
                 .pending = pending});
  }
  void Redeem(uint64_t sequence, const char* date, const char* household, const char* reward,
              int64_t qty = 1, bool revoked = false) {
    events_.Add({.sequence = sequence,
                 .date = D(date),
                 .type = RecordType::kRedeem,
                 .qty = Quantity::FromWhole(qty),
                 .subject = "",
                 .item = "",
                 .household = household,
                 .reward = reward,
                 .revoked = revoked,
                 .pending = false});
  }
  // "sequence:type:code" of every event Collect gives `household` whose subjects are `subjects`.
  std::vector<std::string> Collected(const std::vector<std::string_view>& subjects,
                                     std::string_view household) {
    std::vector<Event> out;
    events_.Collect(subjects, household, &out);
    std::vector<std::string> text;
    for (const Event& e : out) {
      bool award = e.type == RecordType::kAward;
      text.push_back(std::to_string(e.sequence) + ":" +
                     (award ? "award:" + e.subject.str() + "/" + e.item.str()
                            : "redeem:" + e.household.str() + "/" + e.reward.str()));
    }
    return text;
  }
};

TEST_F(HouseholdEventsTest, CollectMergesAHouseholdsSubjectsAndRedemptionsInDateThenSequenceOrder) {
  Award(1, "2024-03-05", "P1", "A1");
  Award(2, "2024-03-01", "H1", "A2");
  Redeem(3, "2024-03-03", "H1", "R1");
  Award(4, "2024-03-03", "P2", "A1");
  Award(5, "2024-03-02", "P9", "A1");   // someone else's
  Redeem(6, "2024-03-04", "H2", "R1");  // another household's
  EXPECT_EQ(Collected({"H1", "P1", "P2"}, "H1"),
            (std::vector<std::string>{"2:award:H1/A2", "3:redeem:H1/R1", "4:award:P2/A1",
                                      "1:award:P1/A1"}));
  EXPECT_EQ(Collected({"H2"}, "H2"), (std::vector<std::string>{"6:redeem:H2/R1"}));
  EXPECT_TRUE(Collected({"H3"}, "H3").empty());  // codes never filed
}

TEST_F(HouseholdEventsTest, AnEventAppendedLaterAtAnEarlierDateTakesItsDatesPlace) {
  Award(1, "2024-03-10", "P1", "A1");
  EXPECT_EQ(Collected({"P1"}, "H1"), (std::vector<std::string>{"1:award:P1/A1"}));
  // A back-dated record of the next batch: a higher sequence, an earlier date.
  Award(7, "2024-03-02", "P1", "A2");
  Award(8, "2024-03-10", "P1", "A3");
  EXPECT_EQ(Collected({"P1"}, "H1"),
            (std::vector<std::string>{"7:award:P1/A2", "1:award:P1/A1", "8:award:P1/A3"}));
  EXPECT_EQ(events_.size(), 3u);
}

TEST_F(HouseholdEventsTest, EventsBeforeTheFirstDayAreNotKept) {
  Award(1, "2023-12-31", "P1", "A1");
  Award(2, "2024-01-01", "P1", "A2");
  EXPECT_EQ(events_.from(), D("2024-01-01"));
  EXPECT_EQ(Collected({"P1"}, "H1"), (std::vector<std::string>{"2:award:P1/A2"}));
  EXPECT_EQ(events_.size(), 1u);
}

TEST_F(HouseholdEventsTest, RevokedAndPendingAwardsCountNowhereUntilApproved) {
  Award(1, "2024-02-01", "P1", "A1", /*revoked=*/true);
  Award(2, "2024-02-02", "P1", "A2", false, /*pending=*/true);
  Award(3, "2024-02-03", "P1", "A3");
  EXPECT_EQ(Collected({"P1"}, "H1"), (std::vector<std::string>{"3:award:P1/A3"}));

  ledger::Record approve;  // the award that an approve record names
  approve.type = RecordType::kAward;
  approve.sequence = 2;
  approve.date = D("2024-02-02");
  approve.subject = "P1";
  events_.Approve(approve);
  EXPECT_EQ(Collected({"P1"}, "H1"), (std::vector<std::string>{"2:award:P1/A2", "3:award:P1/A3"}));

  ledger::Record revoked = approve;  // and a revoke of award 3
  revoked.sequence = 3;
  revoked.date = D("2024-02-03");
  events_.Revoke(revoked);
  EXPECT_EQ(Collected({"P1"}, "H1"), (std::vector<std::string>{"2:award:P1/A2"}));
}

TEST_F(HouseholdEventsTest, ARevokedRedemptionLeavesTheHouseholdAndTheRewardsCount) {
  Redeem(1, "2024-04-01", "H1", "R1", 2);
  Redeem(2, "2024-04-02", "H1", "R1", 1);
  EXPECT_EQ(events_.Redeemed("R1", std::nullopt), 3);
  ledger::Record revoked;
  revoked.type = RecordType::kRedeem;
  revoked.sequence = 1;
  revoked.date = D("2024-04-01");
  revoked.household = "H1";
  revoked.reward = "R1";
  events_.Revoke(revoked);
  EXPECT_EQ(events_.Redeemed("R1", std::nullopt), 1);
  EXPECT_EQ(Collected({}, "H1"), (std::vector<std::string>{"2:redeem:H1/R1"}));
}

TEST_F(HouseholdEventsTest, RedeemedCountsUnitsInAPeriodOrEver) {
  Redeem(1, "2024-01-31", "H1", "R1", 2);
  Redeem(2, "2024-02-01", "H2", "R1", 3);
  Redeem(3, "2024-02-29", "H1", "R1", 1);
  Redeem(4, "2024-02-10", "H1", "R2", 5);
  Redeem(5, "2024-02-11", "H1", "R1", 4, /*revoked=*/true);
  EXPECT_EQ(events_.Redeemed("R1", std::nullopt), 6);
  EXPECT_EQ(events_.Redeemed("R1", Period::Parse("2024-01")), 2);
  EXPECT_EQ(events_.Redeemed("R1", Period::Parse("2024-02")), 4);
  EXPECT_EQ(events_.Redeemed("R1", Period::Parse("2024-Q1")), 6);
  EXPECT_EQ(events_.Redeemed("R1", Period::Parse("2024-03")), 0);
  EXPECT_EQ(events_.Redeemed("R2", std::nullopt), 5);
  EXPECT_EQ(events_.Redeemed("R9", std::nullopt), 0);
}

TEST_F(HouseholdEventsTest, MemoryGrowsWithTheEventsFiled) {
  size_t empty = events_.MemoryBytes();
  for (uint64_t i = 1; i <= 100; ++i) Award(i, "2024-05-01", "P1", "A1");
  EXPECT_EQ(events_.size(), 100u);
  EXPECT_GE(events_.MemoryBytes(), empty + 100 * 24);
}

}  // namespace
}  // namespace jifen::engine
