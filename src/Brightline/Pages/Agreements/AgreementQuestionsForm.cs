using Brightline.Policy.Model;
using Microsoft.AspNetCore.Http;

namespace Brightline.Pages.Agreements;

/// <summary>The questions of an agreement on a signing form, with the answers given so far (issue 15 part 4).</summary>
public sealed record AgreementQuestionsForm(IReadOnlyList<AgreementQuestion> Questions, IReadOnlyDictionary<string, string?> Answers)
{
    public string? AnswerFor(string id) => Answers.TryGetValue(id, out var a) ? a : null;

    /// <summary>The ModelState key an answer's error is kept under (the same as the input's name).</summary>
    public static string Key(string questionId) => $"Answers[{questionId}]";

    /// <summary>
    /// The answers a signing form posted: only its <c>Answers[id]</c> fields. Model binding alone is not enough: when a form
    /// has no such field (an agreement without questions), the dictionary binder falls back to the empty prefix and takes
    /// every other field ("for", the name, the job title) as an answer, which the service rightly refuses.
    /// </summary>
    public static Dictionary<string, string?> Posted(IFormCollection form)
    {
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (key.StartsWith("Answers[", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                answers[key["Answers[".Length..^1]] = value.ToString();
            }
        }

        return answers;
    }
}
