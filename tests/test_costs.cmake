# Read by ctest after the discovered rf_tests cases (tests/CMakeLists.txt,
# TEST_INCLUDE_FILES): the longest tests' COST, so `ctest -j` starts them
# first and the short ones fill the other core round them, instead of the
# numbering (file order) leaving a long test to run alone at the end. A clean
# CI clone has no Testing/Temporary/CTestCostData.txt, and ctest 3.25 writes
# that file unreadably for names with spaces (it keeps their first word), so
# without these every test costs the same.
#
# Each entry: a test name's start, then its cost: its seconds under
# ASan+UBSan in the CI run of 62f653c (crash loop at 20 trials), rounded;
# only the order matters. A name that no longer matches costs nothing and
# breaks nothing.
set(rf_test_costs
  "ingest and pay killed at random moments" 34
  "a simulated year raises every planted anomaly" 13
  "an LMDB call failing at any point of a run" 10
  "property: random operation sequences" 10
  "a streamed year writes the same files" 10
  "changes to checkpoints, keys and the manifest of a pack" 9
  "disclosure: on random tables shaped like the equality report" 8
  "every single-byte change to the journal of a pack" 6
  "a file larger than a chunk loads in one commit" 5
  "a writer killed at random moments" 5
  "every report states the tree size and signed root" 3
  "reports and proofs read whole commits" 3
  "disclosure: on random tables no suppressed figure" 2
  "verify survives single-bit flips of data.mdb" 2
  "verify ends a checking process that makes no progress" 2
  "a streamed year holds no more people" 2
  # ninth session (wt-q): estimated, not measured under ASan (RelWithDebInfo
  # seconds x 3)
  "random reconcile operations keep every promise for seeds" 5
  "property: random reconcile operations keep every promise" 2
  "random months through the CLI keep every promise for seeds" 2)
foreach(rf_test_name IN LISTS rf_tests_TESTS)
  set(rf_rest ${rf_test_costs})
  while(rf_rest)
    list(POP_FRONT rf_rest rf_prefix rf_cost)
    string(FIND "${rf_test_name}" "${rf_prefix}" rf_at)
    if(rf_at EQUAL 0)
      set_tests_properties("${rf_test_name}" PROPERTIES COST ${rf_cost})
      break()
    endif()
  endwhile()
endforeach()
