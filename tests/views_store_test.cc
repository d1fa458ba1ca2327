// Where the views live (views_store.h): an invoice id that sorts after every
// stored one is known to be absent without a search; that shortcut never
// hides an id loaded before, whatever order ids arrive in, in one commit or
// across several.
#include "ledger/storage/views_store.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

rf::EntryDraft Invoice(const std::string& id) {
  return rf::InvoiceReceivedDraft(
      {id, "V-1", "B-1", "activities", "Group " + id, P("1.00"), D("2026-05-01"), D("2026-05-07"), D("2026-05-10")},
      rf::test::kTester);
}

void RequireRefusedAsExisting(Books& books, const std::string& id) {
  auto result = books.Commit({Invoice(id)});
  INFO(id);
  REQUIRE(!result.ok());
  CHECK(result.status().message().find("invoice " + id + " already exists") != std::string::npos);
}

}  // namespace

TEST_CASE("an invoice id loaded before is found whatever order ids arrive in") {
  Books books;
  books.Standard();
  books.MustCommit({Invoice("INV-5"), Invoice("INV-9")});
  books.MustCommit({Invoice("INV-7")});      // before the last id
  RequireRefusedAsExisting(books, "INV-9");  // the last id itself
  RequireRefusedAsExisting(books, "INV-5");  // the first
  books.MustCommit({Invoice("INV-90")});     // after the last: absent, written
  RequireRefusedAsExisting(books, "INV-90");
  books.MustCommit({Invoice("INV-10"), Invoice("INV-91")});
  RequireRefusedAsExisting(books, "INV-10");
  RequireRefusedAsExisting(books, "INV-91");
  RequireRefusedAsExisting(books, "INV-7");
}

TEST_CASE("an invoice id written by an earlier chunk of the same commit is found by a later one") {
  Books books;
  books.Standard();
  int calls = 0;
  std::vector<bool> seen_in_views;
  auto result = books.ledger().CommitStream(
      [&](const rf::ViewSource& views, std::vector<rf::EntryDraft>* chunk) -> rf::Result<bool> {
        ++calls;
        auto found = views.Get("invoice/INV-100");
        if (!found.ok()) return found.status();
        seen_in_views.push_back(found->has_value());
        if (calls == 1) {
          *chunk = {Invoice("INV-050"), Invoice("INV-100")};
          return true;
        }
        *chunk = {Invoice("INV-200"), Invoice("INV-100")};
        return false;
      },
      /*dry_run=*/false);
  REQUIRE(!result.ok());
  CHECK(result.status().message().find("invoice INV-100 already exists") != std::string::npos);
  // The second chunk's reader saw the first chunk's record in the transaction.
  CHECK(seen_in_views == std::vector<bool>{false, true});
  // Nothing of either chunk was written.
  auto after = books.Commit({Invoice("INV-100"), Invoice("INV-050"), Invoice("INV-200")});
  INFO(after.status().message());
  CHECK(after.ok());
}

TEST_CASE("ForEachFrom resumes at a key in any family and stops when asked, as ForEach filtered would") {
  Books books;
  books.Standard();
  books.MustCommit({Invoice("INV-1"), Invoice("INV-2"), Invoice("INV-3")});
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) -> rf::Status {
                for (const std::string prefix : {"", "i", "invoice/", "invoice/INV-", "pot/"}) {
                  std::vector<std::string> all;
                  RF_RETURN_IF_ERROR(views.ForEach(prefix, [&](std::string_view key, std::string_view) {
                    all.emplace_back(key);
                    return rf::Status::Ok();
                  }));
                  REQUIRE(!all.empty());
                  // Resume at every key and just after it; stop after two keys.
                  for (const std::string& at : all) {
                    for (const std::string& from : {at, at + std::string(1, '\0')}) {
                      std::vector<std::string> expected;
                      for (const auto& key : all) {
                        if (key >= from && expected.size() < 2) expected.push_back(key);
                      }
                      std::vector<std::string> got;
                      RF_RETURN_IF_ERROR(views.ForEachFrom(
                          prefix, from, [&](std::string_view key, std::string_view) -> rf::Result<bool> {
                            got.emplace_back(key);
                            return got.size() < 2;
                          }));
                      CAPTURE(prefix, from);
                      CHECK(got == expected);
                    }
                  }
                }
                return rf::Status::Ok();
              })
              .ok());
}
