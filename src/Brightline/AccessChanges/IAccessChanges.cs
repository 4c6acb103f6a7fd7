using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>Publishes access changes: the one way a feature says "what this person may do has changed".</summary>
public interface IAccessChanges
{
    /// <summary>
    /// Adds the change to <paramref name="db"/>; the caller's next SaveChanges stores it with the change itself
    /// (inside the caller's transaction when there is one). Subscribers in this process are told once that
    /// commits; every other process reads the row within its poll interval. Nothing is told if it rolls back.
    /// </summary>
    void Publish(BrightlineDbContext db, string schoolId, Guid? personId, string reason);
}
