// Typed-text capture (issue 12, point 4): what a person types into text fields, textareas and editable regions
// is sent to the service worker when they pause, press Enter or leave the field. Never password fields, never
// fields marked sensitive (payment and one-time codes by their autocomplete hint, or data-brightline-sensitive),
// and nothing while the field is empty.

const PAUSE_MS = 1500;
const MAX_TEXT = 4000;
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'url']);
const SENSITIVE_AUTOCOMPLETE = /\b(cc-|one-time-code|current-password|new-password)/i;
const timers = new WeakMap();

function captureTarget(node) {
  const element = node instanceof Element ? node : null;
  if (!element) {
    return null;
  }

  if (element.closest('[data-brightline-sensitive]')) {
    return null;
  }

  if (element instanceof HTMLInputElement) {
    const type = (element.getAttribute('type') || '').toLowerCase();
    if (!TEXT_INPUT_TYPES.has(type) || SENSITIVE_AUTOCOMPLETE.test(element.autocomplete || '')) {
      return null;
    }

    return element;
  }

  if (element instanceof HTMLTextAreaElement) {
    return SENSITIVE_AUTOCOMPLETE.test(element.autocomplete || '') ? null : element;
  }

  const editable = element.closest('[contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]');
  return editable instanceof HTMLElement ? editable : null;
}

function textOf(target) {
  const text = 'value' in target ? target.value : target.innerText;
  return (text || '').trim().slice(0, MAX_TEXT);
}

function send(target) {
  clearTimeout(timers.get(target));
  timers.delete(target);
  const text = textOf(target);
  if (!text || target.dataset.brightlineSent === text) {
    return;
  }

  target.dataset.brightlineSent = text;
  chrome.runtime.sendMessage({ type: 'brightline:typed', text, url: location.href, title: document.title }).catch(() => {});
}

document.addEventListener('input', (event) => {
  const target = captureTarget(event.target);
  if (target) {
    clearTimeout(timers.get(target));
    timers.set(target, setTimeout(() => send(target), PAUSE_MS));
  }
}, true);

document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    const target = captureTarget(event.target);
    if (target) {
      send(target);
    }
  }
}, true);

document.addEventListener('focusout', (event) => {
  const target = captureTarget(event.target);
  if (target && timers.has(target)) {
    send(target);
  }
}, true);
