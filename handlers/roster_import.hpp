// Importing a roster file (members or branches) into the store: all rows or none. Shared by
// the admin API and `bense roster import`. Problems come back with their line numbers, the
// file's own (bad cells) and the store's (a branch that does not exist) alike.
#pragma once

#include "handlers/roster_csv.hpp"
#include "handlers/roster_store.hpp"

#include <string>
#include <vector>

namespace bense::handlers {

struct ImportReport {
    RosterKind kind = RosterKind::members;
    std::size_t rows = 0;
    long long created = 0;
    long long updated = 0;
    long long unchanged = 0;
};

struct ImportFailure {
    std::vector<RosterProblem> problems;  // empty: the store failed (see error)
    StoreError error;
};

// Parses `bytes`, and when every row is good writes them in one Redis function call.
// Phone numbers are kept as HMAC-SHA256 under `phone_key`. Needs acting.scope "*".
net::awaitable<result<ImportReport, ImportFailure>> import_roster(RosterStore& store, Acting const& acting,
                                                                  std::string_view bytes,
                                                                  std::string const& phone_key);

// {"kind":…,"rows":…,"created":…,"updated":…,"unchanged":…}
std::string import_report_json(ImportReport const& report);
// [{"line":…,"reason":…}, …]
std::string problems_json(std::vector<RosterProblem> const& problems);

}  // namespace bense::handlers
