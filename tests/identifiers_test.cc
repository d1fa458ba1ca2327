#include "ingest/identifiers.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace rf {
namespace {

const char kExampleIban[] = "GB82WEST12345698765432";  // the ISO 13616 / ECBS example

TEST_CASE("known valid UK IBANs pass the mod 97-10 check") {
  for (const char* iban : {kExampleIban, "GB33BUKB20201555555555", "GB94BARC10201530093459"}) {
    INFO(iban);
    CHECK(CheckGbIban(iban).ok());
  }
}

TEST_CASE("changing any one character of a valid IBAN is refused") {
  const std::string valid = kExampleIban;
  int mutations = 0;
  for (size_t i = 2; i < valid.size(); ++i) {
    const bool letter = i >= 4 && i < 8;
    for (char c = letter ? 'A' : '0'; c <= (letter ? 'Z' : '9'); ++c) {
      if (c == valid[i]) continue;
      std::string mutated = valid;
      mutated[i] = c;
      INFO(mutated);
      CHECK_FALSE(CheckGbIban(mutated).ok());
      ++mutations;
    }
  }
  CHECK(mutations == 16 * 9 + 4 * 25);
}

TEST_CASE("an IBAN with spaces, lower case, the wrong length or another country is refused with the reason") {
  CHECK(CheckGbIban("GB82 WEST 1234 5698 7654 32").message().find("remove the spaces") != std::string::npos);
  CHECK(CheckGbIban("gb82west12345698765432").message().find("upper case") != std::string::npos);
  CHECK(CheckGbIban("GB82WEST1234569876543").message().find("has 21 characters") != std::string::npos);
  CHECK_FALSE(CheckGbIban("DE89370400440532013000").ok());  // a valid German IBAN, 22 characters
  CHECK_FALSE(CheckGbIban("GB82WEST1234569876543X").ok());
  CHECK_FALSE(CheckGbIban("GB8XWEST12345698765432").ok());
  CHECK_FALSE(CheckGbIban("").ok());
}

TEST_CASE("IBAN errors never quote the account number") {
  for (const char* bad : {"GB82WEST12345698765433", "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432"}) {
    const Status status = CheckGbIban(bad);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().find("98765") == std::string::npos);
  }
}

TEST_CASE("a masked IBAN shows only its last four characters") {
  CHECK(MaskIban(kExampleIban) == "****5432");
  CHECK(MaskIban("12345678") == "****");
  CHECK(MaskIban("") == "****");
}

TEST_CASE("valid NHS numbers are detected, plain or grouped") {
  for (const char* number : {"9434765919", "4010232137", "943 476 5919", "401-023-2137"}) {
    INFO(number);
    CHECK(LooksLikeNhsNumber(number));
    CHECK(ContainsNhsNumber(number));
  }
}

TEST_CASE("ten digits failing the Modulus 11 check are not taken for an NHS number") {
  CHECK_FALSE(LooksLikeNhsNumber("9434765918"));
  CHECK_FALSE(LooksLikeNhsNumber("1234567890"));  // check digit would be 10: never issued
  CHECK_FALSE(LooksLikeNhsNumber("943 476-5919"));
  CHECK_FALSE(LooksLikeNhsNumber("94347659190"));
  CHECK_FALSE(LooksLikeNhsNumber("943476591"));
  for (int last = 0; last <= 9; ++last) {
    std::string number = "943476591" + std::to_string(last);
    CHECK(LooksLikeNhsNumber(number) == (last == 9));
  }
}

TEST_CASE("an NHS number inside a longer text is found only when bounded by non-digits") {
  CHECK(ContainsNhsNumber("P9434765919"));
  CHECK(ContainsNhsNumber("id 943 476 5919 (old)"));
  CHECK_FALSE(ContainsNhsNumber("19434765919"));
  CHECK_FALSE(ContainsNhsNumber("P-000123"));
}

TEST_CASE("personal names are recognised and pseudonyms are not") {
  for (const char* name : {"John Smith", "Anne-Marie O'Neil", "SMITH, John", "john.smith", "Si\xC3\xA2n Evans",
                           "Mr J Smith", "mary_jones"}) {
    INFO(name);
    CHECK(LooksLikePersonalName(name));
  }
  for (const char* pseudonym : {"P-000123", "person-42", "PERSON", "Smith", "ab12 cd", "-", "", "x-", "P 1"}) {
    INFO(pseudonym);
    CHECK_FALSE(LooksLikePersonalName(pseudonym));
  }
}

TEST_CASE("a person_id must be a pseudonym, and the refusal does not repeat the value") {
  CHECK(CheckPseudonym("P-000123").ok());
  CHECK(CheckPseudonym("person-42").ok());
  const Status nhs = CheckPseudonym("9434765919");
  CHECK(nhs.message() == "holds an NHS number; person_id must be a pseudonym such as P-000123");
  CHECK_FALSE(CheckPseudonym("P9434765919").ok());
  const Status name = CheckPseudonym("John Smith");
  CHECK(name.message().find("person's name") != std::string::npos);
  CHECK(name.message().find("John") == std::string::npos);
  CHECK_FALSE(CheckPseudonym("P:1").ok());
}

TEST_CASE("external ids are 1 to 64 characters of letters, digits, dot, underscore and hyphen") {
  CHECK(CheckExternalId("INV-2026.05_001").ok());
  CHECK(CheckExternalId(std::string(kExternalIdCharsMax, 'a')).ok());
  CHECK_FALSE(CheckExternalId(std::string(kExternalIdCharsMax + 1, 'a')).ok());
  CHECK_FALSE(CheckExternalId("").ok());
  CHECK_FALSE(CheckExternalId("budget:1").ok());
  CHECK_FALSE(CheckExternalId("a b").ok());
  CHECK_FALSE(CheckExternalId("-a").ok());
  CHECK_FALSE(CheckExternalId("caf\xC3\xA9").ok());
}

TEST_CASE("ethnic category codes roll up to the six reporting groups") {
  const std::vector<std::pair<std::string, EthnicGroup>> cases = {{"A", EthnicGroup::kWhite},
                                                                  {"B", EthnicGroup::kWhite},
                                                                  {"C", EthnicGroup::kWhite},
                                                                  {"D", EthnicGroup::kMixed},
                                                                  {"E", EthnicGroup::kMixed},
                                                                  {"F", EthnicGroup::kMixed},
                                                                  {"G", EthnicGroup::kMixed},
                                                                  {"H", EthnicGroup::kAsian},
                                                                  {"J", EthnicGroup::kAsian},
                                                                  {"K", EthnicGroup::kAsian},
                                                                  {"L", EthnicGroup::kAsian},
                                                                  {"M", EthnicGroup::kBlack},
                                                                  {"N", EthnicGroup::kBlack},
                                                                  {"P", EthnicGroup::kBlack},
                                                                  {"R", EthnicGroup::kOther},
                                                                  {"S", EthnicGroup::kOther},
                                                                  {"Z", EthnicGroup::kNotStatedOrKnown},
                                                                  {"99", EthnicGroup::kNotStatedOrKnown}};
  for (const auto& [code, group] : cases) {
    INFO(code);
    const Result<EthnicGroup> parsed = ParseEthnicCategory(code);
    REQUIRE(parsed.ok());
    CHECK(*parsed == group);
  }
  CHECK(EthnicGroupName(EthnicGroup::kNotStatedOrKnown) == "Not stated/known");
  CHECK(EthnicGroupName(EthnicGroup::kBlack) == "Black");
}

TEST_CASE("codes outside the NHS ethnic category list are refused") {
  for (const char* code : {"a", "I", "O", "Q", "T", "", "AA", "9", "98", " A"}) {
    INFO(code);
    CHECK_FALSE(ParseEthnicCategory(code).ok());
  }
}

TEST_CASE("coded values parse to their enum and a wrong one names every choice") {
  CHECK(*ParseFrequency("four-weekly") == Frequency::kFourWeekly);
  CHECK(ParseFrequency("weekly").status().message() == "expected one of monthly, four-weekly, one-off, none");
  CHECK(*ParseAgeBand("75+") == AgeBand::k75Plus);
  CHECK(*ParseAgeBand("0-17") == AgeBand::k0To17);
  CHECK_FALSE(ParseAgeBand("18 - 24").ok());
  CHECK(*ParseSex("unknown") == Sex::kUnknown);
  CHECK_FALSE(ParseSex("Female").ok());
  CHECK(*ParseManagement("direct-payment") == Management::kDirectPayment);
  CHECK(*ParseProviderKind("personal-assistant") == ProviderKind::kPersonalAssistant);
  CHECK(*ParseProviderSize("micro") == ProviderSize::kMicro);
  CHECK(*ParseReviewOutcome("end") == ReviewOutcome::kEnd);
  CHECK(*ParseYesNo("yes"));
  CHECK_FALSE(*ParseYesNo("no"));
  CHECK(ParseYesNo("Y").status().message() == "expected yes or no");
}

TEST_CASE("category slugs are lower-case words joined by single hyphens") {
  for (const char* slug : {"personal-assistant", "gp-services", "therapy", "a", "24-7-care"}) {
    INFO(slug);
    CHECK(CheckCategorySlug(slug).ok());
  }
  for (const std::string& slug :
       std::vector<std::string>{"", "Therapy", "-therapy", "therapy-", "gp--services", "gp_services", "gp services",
                                std::string(kCategorySlugCharsMax + 1, 'a')}) {
    INFO(slug);
    CHECK_FALSE(CheckCategorySlug(slug).ok());
  }
}

TEST_CASE("a financial year's second part is the year after the first") {
  CHECK(*ParseFinancialYear("2026-27") == 2026);
  CHECK(*ParseFinancialYear("2099-00") == 2099);
  for (const char* bad : {"2026-28", "2026-26", "2026/27", "2026-2027", "26-27", "202a-27", "1899-00", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseFinancialYear(bad).ok());
  }
}

}  // namespace
}  // namespace rf
