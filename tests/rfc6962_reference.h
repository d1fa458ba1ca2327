#ifndef RINGFENCE_TESTS_RFC6962_REFERENCE_H_
#define RINGFENCE_TESTS_RFC6962_REFERENCE_H_

// The RFC 6962 reference tree's 8 leaf inputs, from transparency-dev/merkle
// testonly/constants.go (LeafInputs), commit
// 582a6ad190b6848f1d26f8bf08ddef29955d9db1; the same values as
// google/certificate-transparency's merkle tree tests.

#include <string>
#include <vector>

namespace rf::test {

inline const std::vector<std::string>& Rfc6962ReferenceLeaves() {
  static const std::vector<std::string> kLeaves = {
      std::string(""),
      std::string("\x00", 1),
      std::string("\x10"),
      std::string("\x20\x21"),
      std::string("\x30\x31"),
      std::string("\x40\x41\x42\x43"),
      std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
      std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"),
  };
  return kLeaves;
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_RFC6962_REFERENCE_H_
