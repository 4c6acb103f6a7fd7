namespace Brightline.People;

/// <summary>
/// A person picker on a form (<c>Pages/Shared/_PersonPicker.cshtml</c>): a text box named <c>{Field}Text</c> and the
/// choice's key named <c>{Field}</c>. Without a script the text is resolved on the server (<see cref="PersonSearch.ResolveAsync"/>),
/// and an unclear search comes back as a list to choose from; with the script it is a type-ahead (ARIA combobox).
/// </summary>
public sealed record PersonPickerField(string Field, string Label, string? Hint, string? Text, PersonChoice? Chosen, IReadOnlyList<PersonChoice> Candidates, string? Error = null)
{
    public string TextField => Field + "Text";
}
