using Brightline.Policy.Model;

namespace Brightline.Pages.Agreements;

/// <summary>The questions of an agreement on a signing form, with the answers given so far (issue 15 part 4).</summary>
public sealed record AgreementQuestionsForm(IReadOnlyList<AgreementQuestion> Questions, IReadOnlyDictionary<string, string?> Answers)
{
    public string? AnswerFor(string id) => Answers.TryGetValue(id, out var a) ? a : null;

    /// <summary>The ModelState key an answer's error is kept under (the same as the input's name).</summary>
    public static string Key(string questionId) => $"Answers[{questionId}]";
}
