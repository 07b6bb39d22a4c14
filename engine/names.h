// Names in place of codes (docs/IMPORT.md "Names for codes"): a clerk's spreadsheet may give an
// item, a reward, a household, a person, a scorer or the village by its name ("参加升国旗仪式"
// for C1.01) where that name is unique. The index knows the names of the ledger's villages, their
// rules in force and registrations, and the registrations of the import itself; the record
// written to the ledger holds the code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.h"
#include "ledger/ledger.h"
#include "ledger/record_type.h"
#include "util/status.h"

namespace jifen::engine {

// What a code names: the record-type table's word (ledger/record_type.h).
using ledger::NameKind;

struct NameCandidate {
  std::string code;
  std::string name;
  std::string detail;  // what tells it apart: a person's household, a scorer's role; may be empty
};

struct NameLookup {
  // The code to write: a code as given, the code of the one match, or the value as given when it
  // names nothing (admission then says what is wrong with it). Empty when ambiguous.
  std::string code;
  bool by_name = false;  // the value was a name
  // The value is neither a code nor a name of what the index knows of the village (its ledger
  // registrations and rules in force, and the import's own registrations).
  bool unknown = false;
  std::vector<NameCandidate> candidates;  // two or more when the name is ambiguous
};

class NameIndex {
 public:
  // Loads the ledger's villages that `villages` name, by code or by name (as of the head of
  // `reader`): rules, households, persons and scorers.
  Status Load(const ledger::Reader& reader, const std::vector<std::string>& villages);
  // A household, person or scorer registered by the import itself, before the rows that name it.
  // `village` a code (Resolve kVillage first); `household` a person's household code.
  void AddRegistration(ledger::RecordType type, const std::string& village, const std::string& code,
                       const std::string& name, const std::string& household = "");

  // Resolves `value` of kind `kind` in `village` (a code) for a row dated `date` (items and
  // rewards: by the rules in force then; none: not resolved). A subject's name is taken as a
  // household's or a person's as `item` (a code) counts per household or per person, when both
  // have that name.
  NameLookup Resolve(std::string_view village, NameKind kind, std::string_view value,
                     std::optional<Date> date = std::nullopt, std::string_view item = "") const;
  // Every village (kVillage), or every household, person or scorer of `village` (a code), that the
  // index knows, with its name: what a value that names nothing may have meant.
  std::vector<NameCandidate> Known(std::string_view village, NameKind kind) const;
  // Whether `village` (a code) was loaded from the ledger (it has adopted rules or registrations).
  bool InLedger(std::string_view village) const {
    const Village* v = Find(village);
    return v != nullptr && v->model.has_value();
  }

 private:
  struct Entry {
    std::string code;
    std::string name;
    std::string detail;
  };
  struct Names {
    std::map<std::string, Entry> by_code;             // codes of this kind
    std::multimap<std::string, std::string> by_name;  // name -> code
    void Add(Entry entry);
    NameLookup Find(std::string_view value) const;
  };
  struct Village {
    std::optional<VillageModel> model;
    std::string name;
    Names households, persons, scorers;
  };
  const Village* Find(std::string_view code) const;
  NameLookup ResolveVillage(std::string_view value) const;
  // A person's candidates with their household's code and name as the detail.
  static NameLookup WithHouseholds(const Village& v, NameLookup lookup);
  static NameLookup ResolveSubject(const Village& v, std::string_view value,
                                   std::optional<Date> date, std::string_view item);
  // The candidates of one of a subject's lookups (persons' or households') into `both`.
  static void AddSubjectCandidates(const Village& v, const NameLookup& l, NameLookup* both);
  static NameLookup ResolveRuleName(const Village& v, NameKind kind, std::string_view value,
                                    std::optional<Date> date);

  std::map<std::string, Village> villages_;  // by code
};

}  // namespace jifen::engine
