// The acknowledgement page: the policy's acknowledgement text (C8, H13) before the first navigation of the session,
// day or week. Accepting records it with the server and continues to the address the person asked for.
import { accept, acknowledgementDue } from './acknowledgement.js';
import { loadState } from './state.js';

const params = new URLSearchParams(location.search);
const to = params.get('to');

function proceed() {
  // Only a web address continues; anything else (a missing or odd value) ends on this page.
  if (to && /^https?:\/\//i.test(to)) {
    location.replace(to);
  } else {
    document.getElementById('loading').textContent = 'Thank you. You can carry on using the web.';
  }
}

const state = await loadState();
const due = await acknowledgementDue(state, { fresh: true });
if (!due) {
  proceed();
} else {
  document.getElementById('loading').hidden = true;
  document.getElementById('due').hidden = false;
  document.getElementById('title').textContent = due.title;
  document.getElementById('text').textContent = due.text;
  document.getElementById('who').textContent = state.person ? `Signed in as ${state.person}${state.school ? `, ${state.school}` : ''}.` : '';
  document.getElementById('policy').href = due.policyUrl;
  const button = document.getElementById('agree');
  button.focus();
  button.addEventListener('click', async () => {
    button.disabled = true;
    if (await accept(due.agreementId)) {
      proceed();
      return;
    }

    const problem = document.getElementById('problem');
    problem.hidden = false;
    problem.textContent = 'That did not reach the school. Check the internet connection, then try again.';
    button.disabled = false;
  });
}
