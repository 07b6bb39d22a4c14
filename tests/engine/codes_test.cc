// CodeTable and Code: interned codes numbered in first-seen order, handles that stay valid as the
// table grows, and the empty code; SameText, and the filter behind VillageModel::IsRevoked.
#include "engine/codes.h"
#include "engine/model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jifen::engine {
namespace {

TEST(CodeTable, NumbersEachTextOnceInTheOrderFirstSeen) {
  CodeTable codes;
  EXPECT_EQ(codes.Intern("H1"), 0u);
  EXPECT_EQ(codes.Intern("P1"), 1u);
  EXPECT_EQ(codes.Intern("H1"), 0u);
  EXPECT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[1], "P1");
  EXPECT_EQ(codes.Find("P1"), 1u);
  EXPECT_EQ(codes.Find("P2"), std::nullopt);
  EXPECT_EQ(codes.Find(""), std::nullopt);
}

TEST(CodeTable, HandlesStayValidAsTheTableGrows) {
  CodeTable codes;
  std::vector<Code> handles;
  for (int i = 0; i < 5000; ++i) handles.push_back(codes.Handle("code-" + std::to_string(i)));
  // Many rehashes and new entries later, every handle still reads its own text and number.
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(handles[i].str(), "code-" + std::to_string(i));
    ASSERT_EQ(handles[i].number(), static_cast<uint32_t>(i));
    ASSERT_EQ(handles[i].table(), &codes);
    ASSERT_EQ(codes.Handle("code-" + std::to_string(i)).number(), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(codes.size(), 5000u);
}

TEST(CodeTable, TextsThatDifferOnlyLateOrInLengthAreDifferentCodes) {
  CodeTable codes;
  uint32_t a = codes.Intern("SYS-000000000001");
  uint32_t b = codes.Intern("SYS-000000000002");
  uint32_t c = codes.Intern("SYS-00000000000");
  uint32_t d = codes.Intern(std::string_view("H1\0x", 4));
  uint32_t e = codes.Intern("H1");
  EXPECT_EQ(std::vector<uint32_t>({a, b, c, d, e}), std::vector<uint32_t>({0, 1, 2, 3, 4}));
}

TEST(Code, TheEmptyCodeHasNoTableAndReadsEmpty) {
  CodeTable codes;
  Code none = codes.Handle("");
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.table(), nullptr);
  EXPECT_EQ(none, Code());
  EXPECT_EQ(codes.size(), 0u);  // the empty text is not numbered
}

TEST(Code, ComparesByTextAcrossTables) {
  CodeTable one, two;
  Code a = one.Handle("H1"), b = two.Handle("H1"), c = two.Handle("H2");
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
  EXPECT_EQ(a, "H1");
  EXPECT_EQ(std::string("H1"), a);
  const std::string& text = a;
  EXPECT_EQ(text, "H1");
}

}  // namespace
}  // namespace jifen::engine

namespace jifen::engine {
namespace {

TEST(SameText, AgreesWithStringEqualityAtEveryLengthAndPosition) {
  // Every length around the 4-, 8- and 16-byte paths, differing at each position or not at all.
  for (size_t n = 0; n <= 24; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    EXPECT_TRUE(SameText(a, std::string(a))) << n;
    EXPECT_FALSE(SameText(a, a + "y")) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] ^= 0x20;
      EXPECT_FALSE(SameText(a, b)) << n << " at " << i;
    }
  }
  EXPECT_TRUE(SameText("", ""));
  EXPECT_TRUE(SameText(std::string_view("H1\0\0", 4), std::string_view("H1\0\0", 4)));
  EXPECT_FALSE(SameText(std::string_view("H1\0\0", 4), std::string_view("H1\0\1", 4)));
}

TEST(VillageModel, IsRevokedAnswersForEveryTargetHoweverTheRevocationsWereFiled) {
  VillageModel model;
  for (int i = 0; i < 300; i += 3) {
    ledger::Record r;
    r.type = ledger::RecordType::kRevoke;
    r.sequence = static_cast<uint64_t>(i + 1);
    r.target = "SYS-" + std::to_string(i);
    ASSERT_TRUE(model.Add(r).ok());
  }
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(model.IsRevoked("SYS-" + std::to_string(i)), i % 3 == 0) << i;
  EXPECT_FALSE(model.IsRevoked(""));
  // A revocation filed directly (not through Add) is still found.
  model.revocations["SYS-1"] = Revocation{};
  EXPECT_TRUE(model.IsRevoked("SYS-1"));
  EXPECT_FALSE(model.IsRevoked("SYS-2"));
}

TEST(IdSet, HoldsEachIdOnceAndAnswersForEveryOneAfterGrowing) {
  IdSet ids;
  EXPECT_FALSE(ids.Contains("SYS-000001"));
  for (int i = 0; i < 5000; i += 2) EXPECT_TRUE(ids.Insert("SYS-" + std::to_string(i)));
  EXPECT_FALSE(ids.Insert("SYS-0"));
  EXPECT_EQ(ids.size(), 2500u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(ids.Contains("SYS-" + std::to_string(i)), i % 2 == 0);
  // Ids that share a prefix, and ids longer than a short string's inline buffer.
  std::string long_id(40, 'x');
  EXPECT_TRUE(ids.Insert(long_id));
  EXPECT_TRUE(ids.Contains(long_id));
  EXPECT_FALSE(ids.Contains(long_id + "y"));
  EXPECT_FALSE(ids.Contains(long_id.substr(1)));
  EXPECT_FALSE(ids.Contains(""));
  EXPECT_TRUE(ids.Insert(""));
  EXPECT_TRUE(ids.Contains(""));
  // A copy answers on its own.
  IdSet copy = ids;
  ids = IdSet();
  EXPECT_TRUE(copy.Contains("SYS-4998"));
  EXPECT_FALSE(ids.Contains("SYS-4998"));
  // Ids are numbered in the order they were first added, through every rehash.
  EXPECT_EQ(copy.Find("SYS-0"), 0u);
  EXPECT_EQ(copy.Find("SYS-4998"), 2499u);
  EXPECT_EQ(copy.Find(long_id), 2500u);
  EXPECT_EQ(copy.Find(""), 2501u);
  EXPECT_EQ(copy.Find("SYS-1"), std::nullopt);
  bool added = true;
  EXPECT_EQ(copy.Emplace("SYS-2", &added), 1u);
  EXPECT_FALSE(added);
}

TEST(VillageModel, IsApprovedAnswersForEveryTargetHoweverTheApprovalsWereFiled) {
  VillageModel model;
  for (int i = 0; i < 300; i += 3) {
    ledger::Record r;
    r.type = ledger::RecordType::kApprove;
    r.sequence = static_cast<uint64_t>(i + 1);
    r.target = "SYS-" + std::to_string(i);
    ASSERT_TRUE(model.Add(r).ok());
  }
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(model.IsApproved("SYS-" + std::to_string(i)), i % 3 == 0) << i;
  EXPECT_FALSE(model.IsApproved(""));
  model.approvals.Set("SYS-1", Approval{7, "S2", {}});
  EXPECT_TRUE(model.IsApproved("SYS-1"));
  EXPECT_FALSE(model.IsApproved("SYS-2"));
  // A second approval of the same id replaces the first (the last recorded one is kept).
  model.approvals.Set("SYS-1", Approval{9, "S3", {}});
  ASSERT_NE(model.approvals.Find("SYS-1"), nullptr);
  EXPECT_EQ(model.approvals.Find("SYS-1")->sequence, 9u);
  EXPECT_EQ(model.approvals.Find("SYS-1")->scorer, "S3");
  EXPECT_EQ(model.approvals.Find("SYS-3")->sequence, 4u);
  EXPECT_EQ(model.approvals.size(), 101u);
  // A copy shares them until one side changes: the other side keeps what it had.
  VillageModel copy = model;
  copy.approvals.Set("SYS-1", Approval{11, "S4", {}});
  copy.approvals.Set("SYS-new", Approval{12, "S4", {}});
  EXPECT_EQ(model.approvals.Find("SYS-1")->sequence, 9u);
  EXPECT_FALSE(model.IsApproved("SYS-new"));
  EXPECT_EQ(model.approvals.size(), 101u);
  EXPECT_EQ(copy.approvals.Find("SYS-1")->sequence, 11u);
  EXPECT_TRUE(copy.IsApproved("SYS-new"));
  EXPECT_EQ(copy.approvals.size(), 102u);
  VillageModel empty;
  VillageModel empty_copy = empty;
  empty_copy.approvals.Set("X", Approval{});
  EXPECT_TRUE(empty.approvals.empty());
  EXPECT_EQ(empty_copy.approvals.size(), 1u);
}

}  // namespace
}  // namespace jifen::engine
