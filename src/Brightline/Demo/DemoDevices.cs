using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// A realistic device register for the demo school (issue 14): 24 class iPads on two trolleys with asset tags and
/// passcodes attested, staff laptops assigned to teachers with encryption attested (C16), a Chromebook set with one in
/// repair, two office phones (one still without its passcode attested, C17), a class camera, and a laptop disposed of
/// with its data wipe recorded (H15, F7). Written through <see cref="DeviceRegister"/>, so every device has its
/// history and audit entries as a keeper's would.
/// </summary>
public static class DemoDevices
{
    private const string Actor = "demo: computing lead";

    public static async Task SeedAsync(IServiceProvider services, string schoolId, CancellationToken cancellationToken)
    {
        var register = services.GetRequiredService<DeviceRegister>();
        var db = services.GetRequiredService<BrightlineDbContext>();
        var teachers = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.YearGroup == null && p.ClassName != null)
            .OrderBy(p => p.ClassName).Take(7).ToListAsync(cancellationToken);
        var classes = teachers.Select(t => t.ClassName!).ToList();
        string Mac(int n) => string.Create(CultureInfo.InvariantCulture, $"f0:18:98:{n / 65536 % 256:x2}:{n / 256 % 256:x2}:{n % 256:x2}");

        for (var i = 1; i <= 24; i++)
        {
            var trolley = i <= 12 ? 1 : 2;
            var ipad = await register.AddAsync(schoolId, new DeviceInput($"IPAD-{i:000}", $"DMPX{4000 + i}", "tablet", "Apple iPad (10th generation)", $"Trolley {trolley} iPad {i:00}",
                "school", null, classes.Count == 0 ? null : classes[(i - 1) / 12 % classes.Count], $"iPad trolley {trolley}", "ipads", Mac(0x100 + i), null), Actor, cancellationToken);
            if (i != 24)
            {
                await register.AttestAsync(schoolId, ipad.Id, DeviceAttestationKeys.Passcode, true, "Managed passcode set by MDM", Actor, cancellationToken);
            }
        }

        for (var i = 0; i < teachers.Count; i++)
        {
            var laptop = await register.AddAsync(schoolId, new DeviceInput($"LT-{101 + i}", $"5CG{3300 + i}X", "laptop", "HP ProBook 450 G10", $"{teachers[i].GivenName} {teachers[i].FamilyName}'s laptop",
                "school", teachers[i].Id, null, null, null, Mac(0x200 + i), null), Actor, cancellationToken);
            await register.AttestAsync(schoolId, laptop.Id, DeviceAttestationKeys.Encrypted, true, "BitLocker on; recovery key in the IT safe", Actor, cancellationToken);
        }

        for (var i = 1; i <= 4; i++)
        {
            var chromebook = await register.AddAsync(schoolId, new DeviceInput($"CB-{i:00}", null, "chromebook", "Acer Chromebook 314", $"Library Chromebook {i}",
                "school", null, null, "Library", "chromebooks", Mac(0x300 + i), null), Actor, cancellationToken);
            if (i == 3)
            {
                await register.ChangeStateAsync(schoolId, chromebook.Id, DeviceState.InRepair, Actor, "Hinge broken; with the repairer (ticket 4471)", cancellationToken);
            }
        }

        var office = await register.AddAsync(schoolId, new DeviceInput("PH-01", null, "phone", "Apple iPhone SE", "Office mobile", "school", null, null, "School office", null, null, "Trips and evacuations"), Actor, cancellationToken);
        await register.AttestAsync(schoolId, office.Id, DeviceAttestationKeys.Passcode, true, "Six-digit passcode", Actor, cancellationToken);
        await register.AddAsync(schoolId, new DeviceInput("PH-02", null, "phone", "Samsung Galaxy A35", "Site manager's phone", "school", null, null, "Site office", null, null, null), Actor, cancellationToken);
        await register.AddAsync(schoolId, new DeviceInput("CAM-01", null, "camera", "Canon PowerShot", "Early years camera", "school", null, classes.FirstOrDefault(), "Reception", null, null,
            "Photos stay on the school network; card wiped each half term"), Actor, cancellationToken);

        var old = await register.AddAsync(schoolId, new DeviceInput("LT-042", "5CG1900Q", "laptop", "Dell Latitude 3490", "Old staff laptop", "school", null, null, "IT cupboard", null, null, null), Actor, cancellationToken);
        await register.AttestAsync(schoolId, old.Id, DeviceAttestationKeys.Encrypted, true, null, Actor, cancellationToken);
        await register.ChangeStateAsync(schoolId, old.Id, DeviceState.Disposed, Actor, "Battery swollen; collected by the WEEE recycler", cancellationToken,
            "Drive removed and shredded by SecureShred Ltd, certificate SS-20931; witnessed by the business manager");
    }
}
