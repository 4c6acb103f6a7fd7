using Brightline.Kernel;

namespace Brightline.LostProperty;

/// <summary>Form text: trimmed, required or optional, with a length limit and a message in words.</summary>
public static class FormText
{
    public static string Required(string? text, int max, string message)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException(message);
        }

        return text.Length > max ? throw new InvalidException($"That is too long ({max} characters at most).") : text;
    }

    public static string? Optional(string? text, int max, string tooLong)
    {
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > max ? throw new InvalidException(tooLong) : text;
    }

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
