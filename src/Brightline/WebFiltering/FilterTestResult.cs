using System.Globalization;
using Person = Brightline.Data.Entities.Person;
using Brightline.People;
using Brightline.Policy.Model;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>The answer to "test a URL as …": the request as understood, the decision with its full trace, and the compile problems.</summary>
public sealed record FilterTestResult(string Target, FilterTestSubject Subject, DateTimeOffset Local, FilterDecision Decision, IReadOnlyList<string> Problems)
{
    /// <summary>The text <c>brightline filter test</c> prints.</summary>
    public string Render() => FilterCommands.Render(Target, Subject.Label, Subject.Profiles, Local, Decision, Problems);
}
