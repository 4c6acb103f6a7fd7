namespace Brightline.Email;

// The logging source generator needs a partial class; a record cannot hold it.
internal static partial class SchoolSenderLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The policy of school {SchoolId} gives a school.email that is not an email address; emails go without a Reply-To.")]
    public static partial void BadReplyTo(ILogger logger, string schoolId);
}
