// The popup: who is signed in, the school, the monitoring notice (people must be told they are monitored),
// the "Tell a trusted adult" link, and, when enrolment was refused or the school signed this browser out, why.
import { showCaptureStatus } from './queue-status.js';
import { loadState } from './state.js';

const STATUS_WORDS = {
  enrolled: 'Brightline is on for this browser.',
  'not-configured': 'Brightline has not been set up on this browser yet. Ask the school\'s IT provider.',
  'no-account': 'This browser has no school account signed in.',
  'unknown-email': 'Your account is not known to the school.',
  leaver: 'This account belongs to someone who has left the school.',
  'revoked-key': 'The school has replaced its enrolment key. Ask the school\'s IT provider.',
  'unknown-key': 'The enrolment key in this browser\'s policy is not recognised. Ask the school\'s IT provider.',
  'token-revoked': 'The school has signed this browser out of Brightline.',
  offline: 'The school\'s Brightline server cannot be reached.',
};

function show(state) {
  const status = document.getElementById('status');
  const words = STATUS_WORDS[state.status] ?? 'Brightline could not enrol this browser.';
  status.textContent = state.message && state.status !== 'enrolled' ? `${words} ${state.message}` : words;
  status.classList.toggle('problem', state.status !== 'enrolled');
  status.dataset.status = state.status;
  const enrolled = state.status === 'enrolled';
  document.getElementById('who').hidden = !enrolled;
  document.getElementById('person').textContent = state.person ?? '';
  document.getElementById('school').textContent = state.school ?? '';
  document.getElementById('notice-section').hidden = !state.notice;
  document.getElementById('notice').textContent = state.notice ?? '';
  document.getElementById('retry').hidden = enrolled || state.status === 'not-configured';
  // No browser account (an unmanaged browser): the person signs in once through the portal (signin.js).
  document.getElementById('sign-in').hidden = state.status !== 'no-account';
  // W5: a pupil can tell the DSL about a worry from here (the page posts it with this browser's token).
  document.getElementById('trusted-adult-line').hidden = !enrolled;
}

document.getElementById('sign-in').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'brightline:sign-in' });
  window.close();
});

document.getElementById('retry').addEventListener('click', async () => {
  show(await chrome.runtime.sendMessage({ type: 'brightline:enrol', force: true }) ?? await loadState());
});

show(await loadState());
await showCaptureStatus(document.getElementById('capture-status'));
