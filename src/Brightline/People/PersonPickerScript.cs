namespace Brightline.People;

/// <summary>
/// The person picker's one script, served from <c>/assets/person-picker.js</c> (the portal allows scripts from itself
/// only, and no inline script). It follows the WAI-ARIA combobox pattern with a list box: the text box keeps focus,
/// Down and Up move through the people found (<c>aria-activedescendant</c>), Enter chooses, Escape closes, and a polite
/// live region says how many were found. Two kinds of picker: a text box with a hidden key, which searches
/// <c>/people/search</c> as one types (incidents, custody); and a plain <c>select</c> of people
/// (<c>data-person-select</c>, approvals), whose own options are filtered. Without it both forms work as they are.
/// </summary>
public static class PersonPickerScript
{
    public const string Path = "/assets/person-picker.js";

    public const string Text = """
        (function () {
          'use strict';
          if (window.brightlinePersonPicker) { return; }
          window.brightlinePersonPicker = true;
          var counter = 0;

          function combobox(root, input, search, choose) {
            var id = 'person-picker-' + (++counter);
            var list = document.createElement('ul');
            list.id = id + '-list';
            list.setAttribute('role', 'listbox');
            list.setAttribute('aria-label', 'People found');
            list.hidden = true;
            var status = document.createElement('div');
            status.className = 'visually-hidden';
            status.setAttribute('role', 'status');
            status.setAttribute('aria-live', 'polite');
            input.insertAdjacentElement('afterend', list);
            list.insertAdjacentElement('afterend', status);
            input.setAttribute('role', 'combobox');
            input.setAttribute('aria-autocomplete', 'list');
            input.setAttribute('aria-expanded', 'false');
            input.setAttribute('aria-controls', list.id);
            input.setAttribute('autocomplete', 'off');
            var people = [], active = -1, timer = 0, asked = 0;

            function close() {
              list.hidden = true;
              input.setAttribute('aria-expanded', 'false');
              input.removeAttribute('aria-activedescendant');
              active = -1;
            }
            function highlight(index) {
              var options = list.querySelectorAll('[role=option]');
              for (var i = 0; i < options.length; i++) { options[i].setAttribute('aria-selected', i === index ? 'true' : 'false'); }
              active = index;
              if (index >= 0 && options[index]) {
                input.setAttribute('aria-activedescendant', options[index].id);
                options[index].scrollIntoView({ block: 'nearest' });
              } else {
                input.removeAttribute('aria-activedescendant');
              }
            }
            function pick(index) {
              var person = people[index];
              if (!person) { return; }
              input.value = person.label;
              choose(person);
              close();
              status.textContent = 'Chosen: ' + person.label;
            }
            function show(found) {
              people = found;
              list.textContent = '';
              found.forEach(function (person, i) {
                var option = document.createElement('li');
                option.id = id + '-option-' + i;
                option.setAttribute('role', 'option');
                option.setAttribute('aria-selected', 'false');
                option.textContent = person.label;
                option.addEventListener('mousedown', function (e) { e.preventDefault(); });
                option.addEventListener('click', function () { pick(i); });
                list.appendChild(option);
              });
              list.hidden = found.length === 0;
              input.setAttribute('aria-expanded', found.length > 0 ? 'true' : 'false');
              active = -1;
              input.removeAttribute('aria-activedescendant');
              status.textContent = found.length === 0 ? 'Nobody found.'
                : (found.length === 1 ? '1 person found.' : found.length + ' people found.') + ' Use the up and down arrows to choose, then Enter.';
            }
            function ask() {
              var text = input.value.trim();
              if (text.length < 2) { show([]); status.textContent = ''; close(); return; }
              var mine = ++asked;
              search(text, function (found) { if (mine === asked) { show(found); } });
            }
            input.addEventListener('input', function () {
              choose(null);
              window.clearTimeout(timer);
              timer = window.setTimeout(ask, 200);
            });
            input.addEventListener('keydown', function (e) {
              if (e.key === 'ArrowDown' || e.key === 'Down') {
                e.preventDefault();
                if (list.hidden) { if (people.length > 0) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); } else { ask(); } return; }
                highlight(Math.min(active + 1, people.length - 1));
              } else if (e.key === 'ArrowUp' || e.key === 'Up') {
                e.preventDefault();
                if (!list.hidden) { highlight(Math.max(active - 1, 0)); }
              } else if (e.key === 'Enter') {
                if (!list.hidden && active >= 0) { e.preventDefault(); pick(active); }
              } else if (e.key === 'Escape' || e.key === 'Esc') {
                if (!list.hidden) { e.preventDefault(); close(); }
              }
            });
            input.addEventListener('blur', function () { window.setTimeout(close, 150); });
          }

          // A text box and a hidden key: search the server as one types.
          Array.prototype.forEach.call(document.querySelectorAll('[data-person-picker]'), function (root) {
            var input = root.querySelector('[data-picker-text]');
            var key = root.querySelector('[data-picker-key]');
            var url = root.getAttribute('data-search');
            if (!input || !key || !url || !window.fetch) { return; }
            combobox(root, input, function (text, done) {
              window.fetch(url + '?q=' + encodeURIComponent(text), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
                .then(function (r) { return r.ok ? r.json() : []; })
                .then(done, function () { done([]); });
            }, function (person) { key.value = person ? person.key : ''; });
          });

          // A select of people: a text box in its place filters its own options.
          Array.prototype.forEach.call(document.querySelectorAll('select[data-person-select]'), function (select) {
            var input = document.createElement('input');
            input.type = 'text';
            input.id = select.id + '-search';
            input.className = 'person-picker-input';
            var label = document.querySelector('label[for="' + select.id + '"]');
            if (label) { label.setAttribute('for', input.id); }
            var wrapper = document.createElement('div');
            wrapper.className = 'person-picker';
            select.insertAdjacentElement('beforebegin', wrapper);
            wrapper.appendChild(input);
            select.hidden = true;
            var chosen = select.options[select.selectedIndex];
            if (chosen && chosen.value) { input.value = chosen.text; }
            if (select.required) { input.required = true; }
            var all = Array.prototype.filter.call(select.options, function (o) { return o.value; })
              .map(function (o) { return { key: o.value, label: o.text, lower: o.text.toLowerCase() }; });
            combobox(wrapper, input, function (text, done) {
              var words = text.toLowerCase().split(/\s+/).filter(Boolean);
              done(all.filter(function (p) { return words.every(function (w) { return p.lower.indexOf(w) >= 0; }); }).slice(0, 10));
            }, function (person) { select.value = person ? person.key : ''; });
          });
        })();
        """;
}
