// "Tell a trusted adult" (issue 12, point 5; W5): the worry goes to the server with this browser's token and becomes a
// safeguarding report, which the school's routing emails to the DSL. Nothing technical is asked of the person.
import { loadState } from './state.js';

const form = document.getElementById('form');
const worry = document.getElementById('worry');
const send = document.getElementById('send');
const problem = document.getElementById('problem');

function showProblem(words) {
  problem.hidden = false;
  problem.textContent = words;
  send.disabled = false;
}

worry.focus();
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = worry.value.trim();
  if (!text) {
    showProblem('Write what is worrying you first.');
    worry.focus();
    return;
  }

  send.disabled = true;
  problem.hidden = true;
  const state = await loadState();
  if (!state?.token) {
    showProblem('This browser is not connected to the school just now. Please tell a teacher or another adult you trust in person.');
    return;
  }

  let response;
  try {
    response = await fetch(`${state.serverUrl}/api/v1/extension/concern`, {
      credentials: 'omit',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ text }),
    });
  } catch {
    showProblem('Your message could not be sent. Check the internet connection and try again, or tell an adult you trust in person.');
    return;
  }

  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    showProblem(body.detail || 'Your message could not be sent. Please tell an adult you trust in person.');
    return;
  }

  form.hidden = true;
  document.getElementById('sent').hidden = false;
  document.getElementById('sent-message').focus();
});
