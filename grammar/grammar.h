// The PEGTL grammar of the rules language (SPEC.md §2, GRAMMAR.md). Internal to grammar/.
// One struct per concept of the language. Rules named after a place in a statement
// (`item_code`, `cap_points`) exist so that actions know where they are and so that each commit
// point has its own message in the error table at the end of this file.
#pragma once

#include <tao/pegtl.hpp>
#include <utility>

#include "grammar/keywords.h"
#include "grammar/messages.h"

namespace jifen::grammar::peg {

using namespace tao::pegtl;  // NOLINT: the grammar reads as PEG only with PEGTL's short names.

// ---- Characters, comments, separators --------------------------------------------------------

// The UTF-8 byte order mark some Windows editors write at the start of a file.
struct byte_order_mark : TAO_PEGTL_STRING("\xEF\xBB\xBF") {};
// The fullwidth space a Chinese IME types.
struct ideographic_space : TAO_PEGTL_STRING("　") {};
struct whitespace : sor<one<' ', '\t', '\n', '\r', '\f', '\v'>, ideographic_space> {};
// `#` to the end of the line.
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
// What may stand between two tokens.
struct sep : star<sor<whitespace, comment>> {};

// A token followed by whatever separates it from the next one.
template <typename Rule>
using tok = seq<Rule, sep>;
// A token that must follow once the statement is committed (raises its error_message).
template <typename Rule>
using req = seq<must<Rule>, sep>;

// Punctuation; the fullwidth forms are what a Chinese IME types.
struct comma : sor<one<','>, TAO_PEGTL_STRING("，")> {};
struct open_paren : sor<one<'('>, TAO_PEGTL_STRING("（")> {};
struct close_paren : sor<one<')'>, TAO_PEGTL_STRING("）")> {};
struct open_brace : sor<one<'{'>, TAO_PEGTL_STRING("｛")> {};
struct close_brace : sor<one<'}'>, TAO_PEGTL_STRING("｝")> {};
struct bar : sor<one<'|'>, TAO_PEGTL_STRING("｜")> {};
struct percent_sign : sor<one<'%'>, TAO_PEGTL_STRING("％")> {};

// ---- Keywords, built from kKeywordTable ------------------------------------------------------

template <Keyword K, Language L, typename = std::make_index_sequence<KeywordText(K, L).size()>>
struct keyword_text;
template <Keyword K, Language L, std::size_t... I>
struct keyword_text<K, L, std::index_sequence<I...>> : string<KeywordText(K, L)[I]...> {};

// An English keyword ends at a word boundary; a Chinese one needs none (`每人`, `前10%`).
template <Keyword K>
struct english_word : seq<keyword_text<K, Language::kEnglish>, not_at<identifier_other>> {};
template <Keyword K>
struct chinese_word : keyword_text<K, Language::kChinese> {};
template <Keyword K>
struct keyword : sor<english_word<K>, chinese_word<K>> {};

// ---- Literals --------------------------------------------------------------------------------

// CODE = [A-Za-z][A-Za-z0-9_.-]*
struct code : seq<alpha, star<sor<alnum, one<'_', '.', '-'>>>> {};
struct digits : plus<digit> {};
// POINTS / DECIMAL: the digits are checked by the action (two fractional digits at most).
struct decimal : seq<opt<one<'+', '-'>>, digits, opt<one<'.'>, digits>> {};
// INT; a sign is accepted so that `late -1 days` gets a message about the value.
struct integer : seq<opt<one<'+', '-'>>, digits> {};
struct percent : seq<integer, star<blank>, percent_sign> {};

struct escaped_char : one<'"', '\\'> {};
struct escape : seq<one<'\\'>, must<escaped_char>> {};
struct plain_char : not_one<'"', '\\', '\n', '\r'> {};
struct quoted_rest : until<one<'"'>, sor<escape, plain_char>> {};
// "…" with \" and \\ escapes, on one line.
struct quoted_string : seq<one<'"'>, must<quoted_rest>> {};
struct chinese_close_quote : TAO_PEGTL_STRING("”") {};
struct chinese_quoted_rest : until<chinese_close_quote, not_one<'\n', '\r'>> {};
// “…” as a Chinese IME types it; no escapes.
struct chinese_quoted_string : seq<TAO_PEGTL_STRING("“"), must<chinese_quoted_rest>> {};
struct string_literal : sor<quoted_string, chinese_quoted_string> {};

// ---- village ---------------------------------------------------------------------------------

struct village_keyword : keyword<Keyword::kVillage> {};
struct village_code : code {};
struct village_name : string_literal {};
struct village_open : open_brace {};
struct village_close : close_brace {};

struct township_name : string_literal {};
struct township_setting : seq<tok<keyword<Keyword::kTownship>>, req<township_name>> {};
struct period_kind : sor<keyword<Keyword::kMonth>, keyword<Keyword::kQuarter>> {};
struct period_setting : seq<tok<keyword<Keyword::kPeriod>>, req<period_kind>> {};
struct clearing_kind
    : sor<keyword<Keyword::kPeriod>, keyword<Keyword::kYear>, keyword<Keyword::kNever>> {};
struct clearing_setting : seq<tok<keyword<Keyword::kClearing>>, req<clearing_kind>> {};
struct late_days : integer {};
struct late_days_word : keyword<Keyword::kDays> {};
struct late_setting : seq<tok<keyword<Keyword::kLate>>, req<late_days>, req<late_days_word>> {};
struct base_points : decimal {};
struct base_setting : seq<tok<keyword<Keyword::kBase>>, req<base_points>> {};
struct rank_by : sor<keyword<Keyword::kEarned>, keyword<Keyword::kBalance>> {};
struct rank_setting : seq<tok<keyword<Keyword::kRank>>, req<rank_by>> {};
struct annual_by : sor<keyword<Keyword::kMean>, keyword<Keyword::kSum>> {};
struct annual_setting : seq<tok<keyword<Keyword::kAnnual>>, req<annual_by>> {};
struct self_scoring : sor<keyword<Keyword::kFlag>, keyword<Keyword::kDeny>> {};
struct self_setting : seq<tok<keyword<Keyword::kSelf>>, req<self_scoring>> {};
// `review by "A" | "B"`, `审核 "A"｜"B"`: `by` is optional in either language.
struct review_keyword : keyword<Keyword::kReview> {};
struct review_role : string_literal {};
struct review_setting : seq<tok<review_keyword>, opt<tok<keyword<Keyword::kBy>>>, req<review_role>,
                            star<tok<bar>, req<review_role>>> {};
struct notice_days : integer {};
struct notice_days_word : keyword<Keyword::kDays> {};
struct notice_setting
    : seq<tok<keyword<Keyword::kNotice>>, req<notice_days>, req<notice_days_word>> {};
struct setting : sor<township_setting, period_setting, clearing_setting, late_setting, base_setting,
                     rank_setting, annual_setting, self_setting, review_setting, notice_setting> {};

// The settings and the closing brace: also where parsing resumes after an error in a village.
struct village_body : seq<star<setting>, req<village_close>> {};
struct village : seq<tok<village_keyword>, req<village_code>, req<village_name>, req<village_open>,
                     village_body> {};

// ---- category and item -----------------------------------------------------------------------

struct item_keyword : keyword<Keyword::kItem> {};
struct item_code : code {};
struct item_name : string_literal {};
struct item_points : decimal {};
struct item_per : keyword<Keyword::kPer> {};
struct item_subject : sor<keyword<Keyword::kPerson>, keyword<Keyword::kHousehold>> {};

struct cap_points : decimal {};
struct cap_window : sor<keyword<Keyword::kPeriod>, keyword<Keyword::kYear>> {};
struct cap_clause : seq<tok<keyword<Keyword::kCap>>, req<cap_points>,
                        opt<tok<keyword<Keyword::kPer>>, req<cap_window>>> {};
struct unit_name : string_literal {};
struct unit_clause : seq<tok<keyword<Keyword::kUnit>>, req<unit_name>> {};
struct evidence_clause : keyword<Keyword::kEvidence> {};
struct veto_clause : keyword<Keyword::kVeto> {};
struct role : string_literal {};
struct by_clause : seq<tok<keyword<Keyword::kBy>>, req<role>, star<tok<bar>, req<role>>> {};
struct item_clause : sor<cap_clause, unit_clause, evidence_clause, veto_clause, by_clause> {};

struct item : seq<tok<item_keyword>, req<item_code>, req<item_name>, req<item_points>,
                  req<item_per>, req<item_subject>, star<tok<comma>, req<item_clause>>> {};

struct category_keyword : keyword<Keyword::kCategory> {};
struct category_code : code {};
struct category_name : string_literal {};
struct category_open : open_brace {};
struct category_close : close_brace {};
// The items and the closing brace: also where parsing resumes after an error in a category.
struct category_body : seq<star<item>, req<category_close>> {};
struct category : seq<tok<category_keyword>, req<category_code>, req<category_name>,
                      req<category_open>, category_body> {};

// ---- reward, rate, title, dividend -----------------------------------------------------------

struct reward_keyword : keyword<Keyword::kReward> {};
struct reward_code : code {};
struct reward_name : string_literal {};
struct reward_cost_word : keyword<Keyword::kCost> {};
struct reward_cost : decimal {};
struct stock_word : keyword<Keyword::kStock> {};
struct stock_count : integer {};
struct stock_period : keyword<Keyword::kPeriod> {};
struct reward_stock : seq<tok<comma>, req<stock_word>, req<stock_count>,
                          opt<tok<keyword<Keyword::kPer>>, req<stock_period>>> {};
struct reward : seq<tok<reward_keyword>, req<reward_code>, req<reward_name>, req<reward_cost_word>,
                    req<reward_cost>, opt<reward_stock>> {};

struct rate_keyword : keyword<Keyword::kRate> {};
struct rate_value : decimal {};
struct rate_yuan : keyword<Keyword::kYuan> {};
struct rate_per : keyword<Keyword::kPer> {};
struct rate_point : keyword<Keyword::kPoint> {};
struct rate
    : seq<tok<rate_keyword>, req<rate_value>, req<rate_yuan>, req<rate_per>, req<rate_point>> {};

struct title_keyword : keyword<Keyword::kTitle> {};
struct title_name : string_literal {};
struct title_scope : sor<keyword<Keyword::kPeriod>, keyword<Keyword::kAnnual>> {};
struct title_top_word : keyword<Keyword::kTop> {};
struct title_top : seq<integer, opt<star<blank>, percent_sign>> {};
struct points_min : decimal {};
struct clause_min : seq<tok<keyword<Keyword::kMin>>, req<points_min>> {};
struct no_veto_word : keyword<Keyword::kVeto> {};
struct no_veto_clause : seq<tok<keyword<Keyword::kNo>>, req<no_veto_word>> {};
struct title_clause : sor<clause_min, no_veto_clause> {};
struct title : seq<tok<title_keyword>, req<title_name>, req<title_scope>, req<title_top_word>,
                   req<title_top>, star<tok<comma>, req<title_clause>>> {};

struct dividend_keyword : keyword<Keyword::kDividend> {};
struct dividend_shares_word : keyword<Keyword::kShares> {};
struct dividend_shares : percent {};
struct dividend_points_word : keyword<Keyword::kPoints> {};
struct dividend_points : percent {};
struct dividend : seq<tok<dividend_keyword>, req<dividend_shares_word>, req<dividend_shares>,
                      req<dividend_points_word>, req<dividend_points>> {};

// ---- bonus conditions ------------------------------------------------------------------------

struct expression;
struct factor;
struct condition;
struct negation;

struct selector_category_code : code {};
struct selector_category : seq<tok<keyword<Keyword::kCategory>>, req<selector_category_code>> {};
struct selector_positive : keyword<Keyword::kPositive> {};
struct selector_negative : keyword<Keyword::kNegative> {};
struct selector_any : keyword<Keyword::kAny> {};
struct selector_item : code {};
struct selector
    : sor<selector_category, selector_positive, selector_negative, selector_any, selector_item> {};
struct selector_open : open_paren {};
struct selector_close : close_paren {};

// NUMBER: unsigned; `-` is the negation factor.
struct number_factor : seq<digits, opt<one<'.'>, digits>> {};
struct count_factor
    : seq<tok<keyword<Keyword::kCount>>, req<selector_open>, req<selector>, req<selector_close>> {};
struct points_factor
    : seq<tok<keyword<Keyword::kPoints>>, req<selector_open>, req<selector>, req<selector_close>> {
};
struct earned_factor : keyword<Keyword::kEarned> {};
struct members_factor : keyword<Keyword::kMembers> {};
struct expression_close : close_paren {};
struct group_factor : seq<tok<open_paren>, expression, req<expression_close>> {};
struct negate_operand : seq<factor> {};
struct negate_factor : seq<tok<one<'-'>>, req<negate_operand>> {};
struct factor : sor<tok<number_factor>, group_factor, negate_factor, count_factor, points_factor,
                    tok<earned_factor>, tok<members_factor>> {};

struct multiply_operand : factor {};
struct multiply_tail : seq<tok<one<'*', '/'>>, req<multiply_operand>> {};
struct term : seq<factor, star<multiply_tail>> {};
struct add_operand : term {};
struct add_tail : seq<tok<one<'+', '-'>>, req<add_operand>> {};
struct expression : seq<term, star<add_tail>> {};

struct comparison_operator : sor<string<'>', '='>, string<'<', '='>, string<'=', '='>,
                                 string<'!', '='>, one<'>'>, one<'<'>> {};
struct comparison_right : expression {};
struct comparison : seq<expression, tok<comparison_operator>, req<comparison_right>> {};
struct condition_close : close_paren {};
// A parenthesized condition; tried before `comparison` so that `(a > 1)` is a condition and
// `(a + 1) > 2` falls back to a comparison whose left side is a parenthesized expression.
struct paren_condition : seq<tok<open_paren>, condition, req<condition_close>> {};
struct not_operand : seq<negation> {};
struct not_condition : seq<tok<keyword<Keyword::kNot>>, req<not_operand>> {};
struct negation : sor<not_condition, paren_condition, comparison> {};
struct and_operand : negation {};
struct and_tail : seq<tok<keyword<Keyword::kAnd>>, req<and_operand>> {};
struct conjunction : seq<negation, star<and_tail>> {};
struct or_operand : conjunction {};
struct or_tail : seq<tok<keyword<Keyword::kOr>>, req<or_operand>> {};
struct condition : seq<conjunction, star<or_tail>> {};

struct bonus_keyword : keyword<Keyword::kBonus> {};
struct bonus_code : code {};
struct bonus_name : string_literal {};
struct bonus_points : decimal {};
struct bonus_per : keyword<Keyword::kPer> {};
struct bonus_household : keyword<Keyword::kHousehold> {};
struct bonus_when : keyword<Keyword::kWhen> {};
struct bonus_condition : condition {};
struct bonus : seq<tok<bonus_keyword>, req<bonus_code>, req<bonus_name>, req<bonus_points>,
                   req<bonus_per>, req<bonus_household>, req<bonus_when>, req<bonus_condition>> {};

// ---- file ------------------------------------------------------------------------------------

struct statement : sor<village, category, reward, rate, title, bonus, dividend> {};
struct end_of_file : eof {};
// Statements to the end; also where parsing resumes after an error at the top level.
struct statements : seq<sep, star<statement, sep>, must<end_of_file>> {};
struct rule_file : seq<opt<byte_order_mark>, statements> {};
// Where parsing resumes after an error inside a block.
struct resume_in_village : seq<sep, village_body, statements> {};
struct resume_in_category : seq<sep, category_body, statements> {};

// ---- the error table -------------------------------------------------------------------------

// The message of each commit point; a rule under `must` without a row here does not compile.
template <typename Rule>
struct error_message;

#define JIFEN_ERROR(rule_name, id)                \
  template <>                                     \
  struct error_message<rule_name> {               \
    static constexpr Message value = Message::id; \
  }

JIFEN_ERROR(end_of_file, kStatement);
JIFEN_ERROR(village_code, kVillageCode);
JIFEN_ERROR(village_name, kVillageName);
JIFEN_ERROR(village_open, kVillageOpen);
JIFEN_ERROR(village_close, kVillageClose);
JIFEN_ERROR(township_name, kTownshipName);
JIFEN_ERROR(period_kind, kPeriodKind);
JIFEN_ERROR(clearing_kind, kClearingKind);
JIFEN_ERROR(late_days, kLateDays);
JIFEN_ERROR(late_days_word, kLateDaysWord);
JIFEN_ERROR(base_points, kBasePoints);
JIFEN_ERROR(rank_by, kRankBy);
JIFEN_ERROR(annual_by, kAnnualBy);
JIFEN_ERROR(self_scoring, kSelfScoring);
JIFEN_ERROR(review_role, kReviewRole);
JIFEN_ERROR(notice_days, kNoticeDays);
JIFEN_ERROR(notice_days_word, kNoticeDaysWord);
JIFEN_ERROR(category_code, kCategoryCode);
JIFEN_ERROR(category_name, kCategoryName);
JIFEN_ERROR(category_open, kCategoryOpen);
JIFEN_ERROR(category_close, kCategoryClose);
JIFEN_ERROR(item_code, kItemCode);
JIFEN_ERROR(item_name, kItemName);
JIFEN_ERROR(item_points, kItemPoints);
JIFEN_ERROR(item_per, kItemPer);
JIFEN_ERROR(item_subject, kItemSubject);
JIFEN_ERROR(item_clause, kItemClause);
JIFEN_ERROR(cap_points, kCapPoints);
JIFEN_ERROR(cap_window, kCapWindow);
JIFEN_ERROR(unit_name, kUnitName);
JIFEN_ERROR(role, kRole);
JIFEN_ERROR(reward_code, kRewardCode);
JIFEN_ERROR(reward_name, kRewardName);
JIFEN_ERROR(reward_cost_word, kRewardCostWord);
JIFEN_ERROR(reward_cost, kRewardCost);
JIFEN_ERROR(stock_word, kStockWord);
JIFEN_ERROR(stock_count, kStockCount);
JIFEN_ERROR(stock_period, kStockPeriod);
JIFEN_ERROR(rate_value, kRateValue);
JIFEN_ERROR(rate_yuan, kRateYuan);
JIFEN_ERROR(rate_per, kRatePer);
JIFEN_ERROR(rate_point, kRatePoint);
JIFEN_ERROR(title_name, kTitleName);
JIFEN_ERROR(title_scope, kTitleScope);
JIFEN_ERROR(title_top_word, kTitleTopWord);
JIFEN_ERROR(title_top, kTitleTop);
JIFEN_ERROR(title_clause, kTitleClause);
JIFEN_ERROR(points_min, kPointsMin);
JIFEN_ERROR(no_veto_word, kNoVeto);
JIFEN_ERROR(bonus_code, kBonusCode);
JIFEN_ERROR(bonus_name, kBonusName);
JIFEN_ERROR(bonus_points, kBonusPoints);
JIFEN_ERROR(bonus_per, kBonusPer);
JIFEN_ERROR(bonus_household, kBonusHousehold);
JIFEN_ERROR(bonus_when, kBonusWhen);
JIFEN_ERROR(bonus_condition, kCondition);
JIFEN_ERROR(or_operand, kConditionAfterOr);
JIFEN_ERROR(and_operand, kConditionAfterAnd);
JIFEN_ERROR(not_operand, kConditionAfterNot);
JIFEN_ERROR(condition_close, kConditionClose);
JIFEN_ERROR(comparison_right, kComparisonRight);
JIFEN_ERROR(multiply_operand, kOperand);
JIFEN_ERROR(add_operand, kOperand);
JIFEN_ERROR(negate_operand, kNegateOperand);
JIFEN_ERROR(expression_close, kExpressionClose);
JIFEN_ERROR(selector_open, kSelectorOpen);
JIFEN_ERROR(selector, kSelector);
JIFEN_ERROR(selector_close, kSelectorClose);
JIFEN_ERROR(selector_category_code, kSelectorCategoryCode);
JIFEN_ERROR(dividend_shares_word, kDividendShares);
JIFEN_ERROR(dividend_shares, kDividendSharesPercent);
JIFEN_ERROR(dividend_points_word, kDividendPoints);
JIFEN_ERROR(dividend_points, kDividendPointsPercent);
JIFEN_ERROR(quoted_rest, kStringEnd);
JIFEN_ERROR(chinese_quoted_rest, kStringEnd);
JIFEN_ERROR(escaped_char, kStringEscape);

#undef JIFEN_ERROR

// A syntax error: the message of the commit point that failed, and where.
struct SyntaxError {
  Message message;
  position where;
};

// Raises SyntaxError with the rule's row of the error table.
template <typename Rule>
struct control : normal<Rule> {
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&... /*unused*/) {
    throw SyntaxError{error_message<Rule>::value, in.position()};
  }
};

}  // namespace jifen::grammar::peg
