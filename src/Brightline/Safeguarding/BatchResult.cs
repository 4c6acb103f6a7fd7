namespace Brightline.Safeguarding;

/// <summary>
/// The answer to a batch. <see cref="Excluded"/> counts events on a site the policy excludes from capture, which are
/// dropped, not stored. <see cref="Screenshots"/> lists the client event IDs, among the events just stored, that
/// scored critical on their own: a client that said it can take screenshots (<c>canScreenshot</c>) is asked for one
/// of each such event's tab (<see cref="ScreenshotApi"/>).
/// </summary>
public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, int Excluded, IReadOnlyList<string> Screenshots, IReadOnlyList<EventResult> Results);
