// Node's own test runner (`npm test`, run by test.sh after the build): the pure parts of capture — the back-off
// and the excluded-site rule — without a browser. The browser tests cover the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backOffMs } from '../src/capture.js';
import { matches } from '../src/exclusions.js';

test('back-off doubles from 5 s, capped at 10 minutes, each wait in the upper half of its step', () => {
  const ceilings = [5000, 10000, 20000, 40000, 80000, 160000, 320000, 600000, 600000];
  ceilings.forEach((ceiling, i) => {
    const failures = i + 1;
    assert.equal(backOffMs(failures, () => 0), ceiling / 2);
    assert.equal(backOffMs(failures, () => 1), ceiling);
  });
  assert.equal(backOffMs(1000, () => 1), 600000, 'a very long outage still waits at most 10 minutes');
});

test('excluded sites match the host and its subdomains only', () => {
  const sites = ['kooth.com', 'payroll.school.example'];
  assert.equal(matches(sites, 'https://kooth.com/chat'), true);
  assert.equal(matches(sites, 'https://www.Kooth.com./'), true);
  assert.equal(matches(sites, 'https://payroll.school.example:8443/slips'), true);
  assert.equal(matches(sites, 'https://notkooth.com/'), false);
  assert.equal(matches(sites, 'https://kooth.com.evil.example/'), false);
  assert.equal(matches(sites, 'https://school.example/'), false);
  assert.equal(matches(sites, 'not a url'), false);
  assert.equal(matches([], 'https://kooth.com/'), false);
});
