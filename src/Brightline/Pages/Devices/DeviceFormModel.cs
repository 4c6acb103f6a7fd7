using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Devices;

/// <summary>The register's device form, shared by "Register a device" and "Edit": the fields, the policy's choices and the person typed by name or number.</summary>
public abstract class DeviceFormModel(PortalScope scope, PolicyStore policies, BrightlineDbContext db) : PageModel
{
    [BindProperty] public string? AssetTag { get; set; }
    [BindProperty] public string? Serial { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Model { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Ownership { get; set; } = "school";
    /// <summary>Admission number, staff code or full name of the person it is assigned to; blank for nobody.</summary>
    [BindProperty] public string? Person { get; set; }
    [BindProperty] public string? ClassName { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? DeviceGroup { get; set; }
    [BindProperty] public string? Macs { get; set; }
    [BindProperty] public string? Notes { get; set; }

    public DevicesPolicy Devices { get; private set; } = new();
    public IReadOnlyList<string> DeviceGroups { get; private set; } = [];
    public string? Error { get; protected set; }

    protected PortalScope Scope => scope;

    protected async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        Devices = policy.Devices;
        DeviceGroups = policy.Network.DeviceGroups;
    }

    protected async Task FillAsync(Device d, CancellationToken cancellationToken)
    {
        (AssetTag, Serial, Kind, Model, Name, Ownership) = (d.AssetTag, d.Serial, d.Kind.Key(), d.Model, d.Name, d.Ownership.Key());
        (ClassName, Location, DeviceGroup, Macs, Notes) = (d.ClassName, d.Location, d.DeviceGroup, d.Macs, d.Notes);
        Person = d.PersonId is { } id
            ? await db.People.AsNoTracking().Where(p => p.Id == id).Select(p => p.GivenName + " " + p.FamilyName).FirstOrDefaultAsync(cancellationToken)
            : null;
    }

    /// <summary>The form as the register's input; the person typed is found by name or number (a clear error when nobody or several match).</summary>
    protected async Task<DeviceInput> InputAsync(CancellationToken cancellationToken)
    {
        Guid? personId = null;
        if (!string.IsNullOrWhiteSpace(Person))
        {
            personId = (await PersonLookup.FindOneAsync(db, scope.RequiredSchoolId, Person, cancellationToken)).Id;
        }

        return new DeviceInput(AssetTag, Serial, Kind, Model, Name, Ownership, personId, ClassName, Location, DeviceGroup, Macs, Notes);
    }

    protected IActionResult Failed(DomainException e)
    {
        Error = e.Message;
        return Page();
    }
}
