namespace Brightline.Portal;

/// <summary>
/// The portal's stylesheet, compiled in: the host's content root is the binary's folder (and tests run from
/// their own bin folders), so a file on disk could go missing; a string in the assembly cannot.
/// Colours are chosen for at least 4.5:1 contrast on their backgrounds.
/// </summary>
public static class SiteCss
{
    public const string Text = """
        :root {
          --ink: #1b1f24; --muted: #4a5360; --paper: #ffffff; --wash: #f4f6f8; --line: #d5dbe1;
          --brand: #0b5394; --brand-dark: #083d6e; --focus: #ffbf47;
          --ok: #1d6b35; --ok-bg: #e6f4ea; --warn: #7a4a00; --warn-bg: #fff4d6; --bad: #a4161a; --bad-bg: #fdecea;
          font-family: "Segoe UI", system-ui, -apple-system, "Liberation Sans", Arial, sans-serif;
          font-size: 100%; line-height: 1.5; color: var(--ink); background: var(--wash);
        }
        * { box-sizing: border-box; }
        body { margin: 0; overflow-wrap: break-word; } /* a long unbroken name (a list set, a file path) wraps rather than widening a phone's page */
        a { color: var(--brand); text-underline-offset: 0.15em; }
        a:hover { color: var(--brand-dark); }
        :focus-visible, a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus {
          outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink);
        }
        .skip-link { position: absolute; left: -999px; top: 0.5rem; background: var(--paper); color: var(--ink); padding: 0.5rem 1rem; z-index: 10; }
        .skip-link:focus { left: 0.5rem; }
        .site-header { background: var(--brand-dark); color: #fff; }
        .site-header .bar { max-width: 72rem; margin: 0 auto; padding: 0.6rem 1.25rem; display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; align-items: center; justify-content: space-between; }
        .brand { color: #fff; font-weight: 700; font-size: 1.2rem; text-decoration: none; }
        .brand span { font-weight: 400; opacity: 0.9; }
        .site-header a, .site-header button.link { color: #fff; }
        .site-header form { display: inline; margin: 0; }
        .site-header select { padding: 0.2rem; }
        .school-name { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        .user-bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; font-size: 0.95rem; }
        nav.main-nav { background: var(--brand); }
        nav.main-nav ul { list-style: none; margin: 0 auto; padding: 0 1.25rem; max-width: 72rem; display: flex; flex-wrap: wrap; gap: 0.25rem; }
        nav.main-nav a { display: block; padding: 0.55rem 0.8rem; color: #fff; text-decoration: none; }
        nav.main-nav a:hover, nav.main-nav a[aria-current="page"] { background: var(--brand-dark); text-decoration: underline; }
        main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
        main.narrow { max-width: 38rem; }
        h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 1rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; }
        h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
        .lead { font-size: 1.1rem; color: var(--muted); margin-top: -0.5rem; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1.25rem 1.5rem; margin: 0 0 1.25rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; margin-bottom: 1.25rem; }
        .stat { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid var(--brand); border-radius: 6px; padding: 0.9rem 1.1rem; }
        .stat .n { display: block; font-size: 2rem; font-weight: 700; line-height: 1.1; }
        .stat.ok { border-left-color: var(--ok); } .stat.warn { border-left-color: #b36b00; } .stat.bad { border-left-color: var(--bad); }
        .banner { border-radius: 6px; padding: 0.9rem 1.2rem; margin: 0 0 1.25rem; border: 1px solid; }
        .banner.info { background: #e8f1fb; border-color: #9cc1e8; }
        .banner.ok { background: var(--ok-bg); border-color: #8cc79d; }
        .banner.warn { background: var(--warn-bg); border-color: #e0b84f; }
        .banner.bad { background: var(--bad-bg); border-color: #e59a9c; }
        .banner > :first-child { margin-top: 0; } .banner > :last-child { margin-bottom: 0; }
        table { width: 100%; border-collapse: collapse; background: var(--paper); margin: 0 0 1.25rem; font-size: 0.97rem; }
        caption { text-align: left; font-weight: 700; font-size: 1.1rem; padding: 0 0 0.5rem; }
        th, td { text-align: left; padding: 0.5rem 0.65rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        @media (max-width: 30rem) { th, td { padding: 0.45rem 0.4rem; } } /* a phone: narrower cell padding lets a small table (what a parent has to sign) fit the screen */
        td { overflow-wrap: anywhere; } /* an email address in a cell wraps rather than pushing a small table past a phone's screen */
        thead th { background: #e9edf1; border-bottom: 2px solid #aab4be; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .tag { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.85rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
        .tag.ok { color: var(--ok); background: var(--ok-bg); border-color: #8cc79d; }
        .tag.warn { color: var(--warn); background: var(--warn-bg); border-color: #e0b84f; }
        .tag.bad { color: var(--bad); background: var(--bad-bg); border-color: #e59a9c; }
        .tag.plain { color: var(--muted); background: var(--wash); border-color: var(--line); }
        /* minmax(0, 1fr): a select whose options are long (a policy rule's text, a timeline entry) shrinks to the form's width instead of widening it past a phone's screen. */
        form.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; max-width: 34rem; }
        .field { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.3rem; }
        label, .label { font-weight: 600; }
        .hint { color: var(--muted); font-size: 0.93rem; font-weight: 400; }
        /* An input written without a type is a text box too: unstyled, it was 21 px tall (issue 17, defect 5). */
        input:not([type]), input[type=text], input[type=email], input[type=password], input[type=search], input[type=date], input[type=file], input[type=number], input[type=time], input[type=datetime-local], input[type=tel], input[type=url], select, textarea {
          font: inherit; padding: 0.5rem 0.6rem; border: 2px solid #5f6b78; border-radius: 4px; background: #fff; color: var(--ink); max-width: 100%;
        }
        input[aria-invalid=true], select[aria-invalid=true] { border-color: var(--bad); }
        .check { display: flex; gap: 0.6rem; align-items: flex-start; font-weight: 400; }
        .check input { width: 1.3rem; height: 1.3rem; margin-top: 0.15rem; }
        fieldset.choice { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin: 0; display: grid; gap: 0.6rem; }
        fieldset.choice legend { font-weight: 600; padding: 0 0.3rem; }
        .big-number { font-size: 2.5rem; font-weight: 700; line-height: 1.1; margin: 0.25rem 0; }
        .field-error, .error-text { color: var(--bad); font-weight: 600; margin: 0; }
        .error-summary { border: 3px solid var(--bad); background: var(--paper); padding: 1rem 1.25rem; margin-bottom: 1.25rem; border-radius: 6px; }
        .error-summary h2 { margin-top: 0; color: var(--bad); font-size: 1.15rem; }
        button, .button { font: inherit; font-weight: 600; display: inline-block; max-width: 100%; overflow-wrap: anywhere; padding: 0.55rem 1.1rem; border-radius: 4px; border: 2px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; text-decoration: none; }
        button:hover, .button:hover { background: var(--brand-dark); border-color: var(--brand-dark); color: #fff; }
        button.secondary, .button.secondary { background: #fff; color: var(--brand); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        button.link { background: none; border: none; padding: 0; color: var(--brand); text-decoration: underline; font-weight: 400; }
        .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1rem 0; }
        .filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1.25rem; }
        .filters .field { min-width: 10rem; }
        nav.subnav ul { list-style: none; margin: 0 0 1.25rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; border-bottom: 2px solid var(--line); }
        nav.subnav a { display: block; padding: 0.45rem 0.8rem; text-decoration: none; border-radius: 4px 4px 0 0; }
        nav.subnav a:hover, nav.subnav a:focus { text-decoration: underline; }
        nav.subnav a[aria-current="page"] { background: var(--brand); color: #fff; text-decoration: underline; }
        .table-scroll { overflow-x: auto; position: relative; margin: 0 0 1.25rem; } .table-scroll table { margin: 0; min-width: 56rem; } .table-scroll .hint { overflow-wrap: anywhere; } .table-scroll:focus { outline: 3px solid var(--brand); } .table-scroll.auto table { min-width: 0; }
        .nowrap { white-space: nowrap; }
        .pager { display: flex; gap: 1rem; align-items: center; justify-content: space-between; margin: 0 0 1.5rem; }
        dl.details { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0.4rem 1.25rem; margin: 0; }
        dl.details dt { font-weight: 600; } dl.details dd { margin: 0; overflow-wrap: anywhere; }
        .agreement-text { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.5rem; margin: 0 0 1.25rem; }
        form.stack > h2:first-of-type { margin: 0; }
        .qr { background: #fff; display: inline-block; padding: 0.75rem; border: 1px solid var(--line); }
        .qr img { display: block; width: 12rem; height: 12rem; }
        code.key { font-size: 1.05rem; letter-spacing: 0.05em; background: var(--wash); padding: 0.2rem 0.4rem; word-break: break-all; }
        ul.codes { columns: 2; font-family: ui-monospace, "Liberation Mono", monospace; }
        .site-footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; color: var(--muted); font-size: 0.9rem; }
        figure.chart { margin: 0 0 1.5rem; padding: 1rem; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; }
        figure.chart figcaption { font-weight: 600; font-size: 1.1rem; margin: 0 0 0.5rem; }
        .chart-svg { display: block; width: 100%; max-width: 36rem; height: auto; }
        figure.chart details { margin-top: 0.75rem; }
        .person-picker { position: relative; }
        .person-picker .error-message { color: var(--bad); font-weight: 600; margin: 0.25rem 0; }
        .person-picker [role="listbox"] { position: absolute; z-index: 5; left: 0; right: 0; max-height: 18rem; overflow-y: auto; margin: 0.15rem 0 0; padding: 0; list-style: none; background: var(--paper); border: 2px solid var(--brand); border-radius: 4px; }
        .person-picker [role="option"] { padding: 0.5rem 0.75rem; cursor: pointer; overflow-wrap: anywhere; }
        .person-picker [role="option"][aria-selected="true"] { background: var(--brand); color: #fff; }
        .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        @media print {
          :root { background: #fff; font-size: 11pt; }
          .site-header, nav.main-nav, .skip-link, .site-footer, .no-print, .actions, .filters, .pager { display: none !important; }
          main { max-width: none; padding: 0; }
          .card, .agreement-text, table { border: none; padding: 0; }
          a { color: inherit; text-decoration: none; }
          h1, h2, h3 { break-after: avoid; }
          tr, .signature-block { break-inside: avoid; }
        }
        """;
}
