using System.Xml.Linq;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Nodes;

/// <summary>
/// ASP.NET Data Protection's key ring, kept in the database (<see cref="DataProtectionKey"/>) rather than in one
/// machine's profile folder, so every portal node behind the load balancer unprotects what another node protected:
/// a sign-in cookie, an antiforgery token, a block-page ticket. (Written here rather than taken from the framework's
/// EF Core package, which would have pulled a newer Entity Framework Core than the one the data project pins.)
/// </summary>
/// <remarks>
/// The framework calls this rarely — when it first needs the ring, and every so often to see whether another node has
/// added a key — and a node that creates a key stores it at once, so keys only ever accumulate (expired keys stay
/// readable, as old cookies need them until they expire themselves).
/// </remarks>
public sealed class DatabaseKeyRing(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return db.Set<DataProtectionKey>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        db.Set<DataProtectionKey>().Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
