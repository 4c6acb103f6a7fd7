// The first-run notice page: who is signed in, the school, and the school's monitoring notice.
import { loadState } from './state.js';

const state = await loadState();
document.getElementById('who').textContent = state.person
  ? `Brightline for Chrome is on for ${state.person}${state.school ? ` at ${state.school}` : ''}.`
  : 'Brightline for Chrome is on for this browser.';
document.getElementById('notice').textContent = state.notice
  || 'This device is monitored. The school checks what is typed, searched and viewed to keep everyone safe.';
const close = document.getElementById('close');
close.focus();
close.addEventListener('click', () => { window.close(); });
