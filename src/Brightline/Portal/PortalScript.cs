namespace Brightline.Portal;

/// <summary>
/// The portal's one shared script (served from <c>/assets/portal.js</c>: the content security policy allows scripts
/// from the portal itself only), for pages that work without it and are better with it:
/// a "select all on this page" checkbox (<c>data-select-all="name"</c>, hidden until the script shows it) ticks every
/// checkbox of that name in its form; a status region (<c>data-refresh="ms"</c>) fetches its own page again and
/// replaces itself until its <c>data-state</c> is <c>finished</c> (Razor always writes a data- attribute, even empty, so a state is spelt out), so progress shows without reloading the page.
/// </summary>
public static class PortalScript
{
    public const string Path = "/assets/portal.js";

    public const string Text = """
        (function () {
          'use strict';
          document.querySelectorAll('[data-select-all]').forEach(function (all) {
            var form = all.form;
            var boxes = function () { return form ? form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]') : []; };
            var holder = all.closest('[hidden]');
            if (holder) { holder.hidden = false; }
            all.addEventListener('change', function () {
              boxes().forEach(function (b) { b.checked = all.checked; });
            });
            if (form) {
              form.addEventListener('change', function (e) {
                if (e.target === all) { return; }
                var list = Array.prototype.slice.call(boxes());
                all.checked = list.length > 0 && list.every(function (b) { return b.checked; });
              });
            }
          });
          var poll = function (region) {
            if (region.dataset.state === 'finished') { return; }
            var wait = parseInt(region.dataset.refresh, 10) || 1000;
            setTimeout(function () {
              fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
                .then(function (r) { return r.ok ? r.text() : null; })
                .then(function (html) {
                  if (!html) { return; }
                  var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(region.id);
                  if (!fresh) { return; }
                  region.innerHTML = fresh.innerHTML;
                  if (fresh.dataset.state === 'finished') { region.dataset.state = 'finished'; return; }
                  poll(region);
                })
                .catch(function () { poll(region); });
            }, wait);
          };
          document.querySelectorAll('[data-refresh][id]').forEach(poll);
        }());
        """;
}
