namespace Brightline.People;

/// <summary>How one import runs.</summary>
/// <param name="DryRun">Check only: report what would change and change nothing.</param>
/// <param name="FullImport">
/// The file is the school's whole list of that kind, so anyone missing from it becomes a leaver. Never the default
/// (issue 17: a 20-row file would otherwise have marked 402 people as leavers with one click): every caller says so
/// explicitly — the portal's radio choice, the CLI's <c>--full-list</c>, the API's <c>full=true</c>.
/// </param>
/// <param name="ConfirmedLeavers">
/// When set, the number of leavers the person applying the import confirmed; an import that would mark a different
/// number is refused before anything is saved (the school's records changed since the check, or a typing slip).
/// </param>
public sealed record ImportOptions(bool DryRun = false, bool FullImport = false, int? ConfirmedLeavers = null);
