// withEnrolment (state.js): work that reads the stored enrolment, waits for the server and writes it back runs one
// at a time, so an enrolment started by a navigation cannot write back what it read before a portal sign-in ended.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withEnrolment } from '../src/state.js';

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

test('a read-wait-write started during another runs after it and sees what it wrote', async () => {
  let stored = 'no-account';
  const signIn = withEnrolment(async () => { await pause(30); stored = 'enrolled'; });
  const enrolment = withEnrolment(async () => { const read = stored; await pause(1); stored = read === 'enrolled' ? read : 'no-account'; });
  await Promise.all([signIn, enrolment]);
  assert.equal(stored, 'enrolled');
});

test('a failed piece of work does not stop the next one, and its caller still sees the failure', async () => {
  const failed = withEnrolment(async () => { throw new Error('server refused'); });
  const next = withEnrolment(async () => 'ran');
  await assert.rejects(failed, /server refused/);
  assert.equal(await next, 'ran');
});
