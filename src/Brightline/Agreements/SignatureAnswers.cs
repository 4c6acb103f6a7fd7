using System.Text.Json;
using Brightline.Kernel;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

/// <summary>
/// The answers to an agreement's questions (issue 15 part 4): checked when signing, kept with the signature as a small
/// JSON object (question ID → "yes" / "no" / text), shown on the signature and in the agreements CSV export.
/// </summary>
public static class SignatureAnswers
{
    public const string Yes = "yes";
    public const string No = "no";

    /// <summary>Checks the answers against the questions; returns the stored form, or null when it asks none.</summary>
    /// <exception cref="InvalidException">A required question is unanswered, an answer is not yes/no or is too long, or a question is unknown.</exception>
    public static string? Validate(Agreement agreement, IReadOnlyDictionary<string, string?>? answers)
    {
        foreach (var key in answers?.Keys ?? [])
        {
            if (!agreement.Questions.Any(q => string.Equals(q.Id, key, StringComparison.Ordinal)))
            {
                throw new InvalidException($"\"{agreement.Title}\" has no question '{key}'.");
            }
        }

        if (agreement.Questions.Count == 0)
        {
            return null;
        }

        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var question in agreement.Questions)
        {
            var answer = answers is not null && answers.TryGetValue(question.Id, out var a) ? a?.Trim() : null;
            if (string.IsNullOrEmpty(answer))
            {
                if (question.Required)
                {
                    throw new InvalidException($"Answer the question \"{question.Text}\": it must be answered to sign \"{agreement.Title}\".", "Question not answered")
                    {
                        Field = "answers." + question.Id,
                    };
                }

                continue;
            }

            if (question.Type == QuestionType.YesNo)
            {
                answer = answer.ToLowerInvariant() switch
                {
                    "yes" or "y" or "true" => Yes,
                    "no" or "n" or "false" => No,
                    _ => throw new InvalidException($"Answer \"{question.Text}\" with yes or no.", "Bad answer"),
                };
            }
            else if (answer.Length > AgreementQuestion.MaxTextLength)
            {
                throw new InvalidException($"The answer to \"{question.Text}\" is longer than {AgreementQuestion.MaxTextLength} characters.", "Bad answer");
            }

            stored[question.Id] = answer;
        }

        return stored.Count == 0 ? null : JsonSerializer.Serialize(stored);
    }

    public static IReadOnlyDictionary<string, string> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>"Yes", "No" or the text, for pages and the CSV.</summary>
    public static string Show(string answer) => answer switch
    {
        Yes => "Yes",
        No => "No",
        _ => answer,
    };
}
