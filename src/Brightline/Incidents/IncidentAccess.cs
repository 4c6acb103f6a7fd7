using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

/// <summary>How much of one incident a user may see.</summary>
public enum IncidentAccess
{
    /// <summary>Nothing: not a reader, not the reporter, or the subject of an allegation (answer 403 or 404).</summary>
    None,
    /// <summary>The reporter who is not a reader: their own unrestricted entries and files, and the status.</summary>
    Reporter,
    /// <summary>One of the kind's readers: everything.</summary>
    Reader,
}
