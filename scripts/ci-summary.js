#!/usr/bin/env node
// Prints the plain closing line CI counts ("N passed, N failed"), read from Jest's JSON results.
const fs = require('node:fs');
const file = process.argv[2] || 'reports/jest-results.json';
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  skipped = r.numPendingTests + (r.numTodoTests || 0);
} catch {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
