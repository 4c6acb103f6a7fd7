namespace Brightline.BrowserExtension;

/// <summary>Why an enrolment was refused; <see cref="Code"/> is what the extension's popup and the tests switch on.</summary>
public sealed class EnrolmentRefusedException(int status, string code, string title, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;
}
