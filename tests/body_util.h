#ifndef RINGFENCE_TESTS_BODY_UTIL_H_
#define RINGFENCE_TESTS_BODY_UTIL_H_

// Tests that read or change a draft's body (EntryDraft::body_json, canonical
// text) through a DOM: built bodies made malformed on purpose, checks of a
// member's value.

#include <nlohmann/json.hpp>

#include "ledger/core/canonical_json.h"
#include "ledger/core/entry.h"

namespace rf::test {

// The body as a DOM (discarded when it is not JSON).
inline nlohmann::json BodyOf(const EntryDraft& d) { return nlohmann::json::parse(d.body_json, nullptr, false); }

// Sets the body from a DOM: its canonical text, or, for what JCS cannot
// carry (a fraction), the DOM's plain JSON text, which is refused where a
// body is checked.
inline void SetBody(EntryDraft* d, const nlohmann::json& body) {
  auto canonical = Canonicalize(body);
  d->body_json = canonical.ok() ? *canonical : body.dump();
}

// Changes the body through a DOM: fn(nlohmann::json&).
template <typename Fn>
void EditBody(EntryDraft* d, Fn&& fn) {
  nlohmann::json body = BodyOf(*d);
  fn(body);
  SetBody(d, body);
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_BODY_UTIL_H_
