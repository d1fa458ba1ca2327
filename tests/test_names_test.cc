// Every test case can be run by the CTest entry catch_discover_tests makes for
// it. CMake splits lists at ';', so a name holding one was registered cut off;
// Catch then matched no test, printed "No tests ran" and exited 0, and 20
// tests never ran in CI. The CTest entries now pass `-w NoTests` (a filter
// matching nothing fails); this test names the offending case before that.
//
// catch_discover_tests escapes ',', '[' and ']' (verified: such names run).
// It escapes nothing else Catch's test spec reads specially: '\' escapes,
// '"' quotes, '*' at either end is a wildcard, a leading '~' or "exclude:"
// negates, and --list-test-names-only quotes a name starting with '#'.
//
// Catch's console reporter wraps a failing case's name at its width (80)
// and indents the wrapped lines after a ": " it finds; a ": " near the end
// of the first line makes that indent wider than the line, and the
// reporter aborts on an assertion instead of printing the failure. Names
// keep every ": " before kTestNameColonColumnMax.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace rf {
namespace {

// The last column a ": " may start at (0-based), with margin below the
// width where Catch's reporter breaks.
constexpr size_t kTestNameColonColumnMax = 71;

// Why `name` cannot be a CTest entry running exactly itself (or a failure
// of it cannot be printed); empty if it can.
std::string TestNamesProblem(const std::string& name) {
  if (name.empty()) return "is empty";
  if (name.find(';') != std::string::npos) return "holds ';' (CMake list separator)";
  if (name.find('\\') != std::string::npos) return "holds '\\' (Catch filter escape)";
  if (name.find('"') != std::string::npos) return "holds '\"' (Catch filter quote)";
  if (name.find('*') != std::string::npos) return "holds '*' (Catch filter wildcard)";
  if (name.find('\n') != std::string::npos || name.find('\r') != std::string::npos) return "holds a line break";
  if (name.front() == '~') return "starts with '~' (Catch filter negation)";
  if (name.rfind("exclude:", 0) == 0) return "starts with 'exclude:' (Catch filter negation)";
  if (name.front() == '#') return "starts with '#' (listed quoted)";
  if (name.front() == ' ' || name.back() == ' ') return "starts or ends with a space (trimmed by Catch)";
  for (size_t at = name.find(": "); at != std::string::npos; at = name.find(": ", at + 1)) {
    if (at > kTestNameColonColumnMax) return "holds \": \" past column 71 (Catch's console reporter aborts on it)";
  }
  return "";
}

TEST_CASE("test names: every registered test case has a name its CTest entry can run", "[test_names]") {
  const auto& tests = Catch::getRegistryHub().getTestCaseRegistry().getAllTests();
  CHECK(tests.size() > 300);
  for (const auto& test : tests) {
    INFO("TEST_CASE(\"" << test.name << "\") at " << test.lineInfo);
    CHECK(TestNamesProblem(test.name).empty());
  }
}

TEST_CASE("test names: the check refuses each character CTest or Catch's filter would misread", "[test_names]") {
  CHECK(TestNamesProblem("a plain name, with [brackets] and commas: fine").empty());
  CHECK_FALSE(TestNamesProblem("one thing; another").empty());
  CHECK_FALSE(TestNamesProblem("a back\\slash").empty());
  CHECK_FALSE(TestNamesProblem("a \"quoted\" word").empty());
  CHECK_FALSE(TestNamesProblem("a wildcard*").empty());
  CHECK_FALSE(TestNamesProblem("~negated").empty());
  CHECK_FALSE(TestNamesProblem("exclude:negated").empty());
  CHECK_FALSE(TestNamesProblem("#hash").empty());
  CHECK_FALSE(TestNamesProblem("trailing space ").empty());
  CHECK_FALSE(TestNamesProblem("").empty());
  // ": " at column 71 is kept, at 72 refused.
  CHECK(TestNamesProblem(std::string(71, 'a') + ": rest").empty());
  CHECK_FALSE(TestNamesProblem(std::string(72, 'a') + ": rest").empty());
}

}  // namespace
}  // namespace rf
