using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>
/// An enforcement point (the DNS filter today; network access and device agents later) that caches access
/// answers. Told of every change made in any process: at once for a change committed in this process, and
/// within <see cref="AccessChangeOptions.PollInterval"/> for one committed in another.
/// </summary>
/// <remarks>
/// Called on the committing request's thread (or the reader's): keep it cheap and never throw; dropping a
/// cached answer is the intended work. A change may, rarely, be told twice; telling must be idempotent.
/// </remarks>
public interface IAccessChangeSubscriber
{
    void OnChanged(AccessChange change);
}
