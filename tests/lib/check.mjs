// Tiny assertion log for the Node-side tests: every check is printed, and the run
// ends with the "N passed, N failed" line that CI reads.
export function createChecks(suite) {
  let passed = 0;
  let failed = 0;
  return {
    ok(condition, what) {
      if (condition) { passed += 1; console.log(`  ok   ${what}`); } else { failed += 1; console.log(`  FAIL ${what}`); }
      return condition;
    },
    equal(actual, expected, what) {
      const same = JSON.stringify(actual) === JSON.stringify(expected);
      return this.ok(same, same ? what : `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    },
    section(title) { console.log(`\n${suite}: ${title}`); },
    finish() {
      console.log(`\n${suite}: ${passed} passed, ${failed} failed`);
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    },
    get failed() { return failed; },
  };
}
