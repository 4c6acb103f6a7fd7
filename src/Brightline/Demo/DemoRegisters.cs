using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Sanctions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// A few register records for the demo school, so a newcomer opening Incidents or a pupil's page sees
/// what a term's records look like. Written through the real services (validation, timelines and
/// the audit log included), with notifications off: the demo emails nobody.
/// </summary>
internal static class DemoRegisters
{
    // Recorded as the example policy's DSL, as a real school's registers would be, so the pages show her name (issue 17).
    private const string Actor = "s.okafor@example-primary.example.org";

    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var pupils = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.YearGroup != null && (p.YearGroup == "5" || p.YearGroup == "6"))
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Take(3).ToListAsync(cancellationToken);
        if (pupils.Count < 3)
        {
            return;
        }

        var incidents = services.GetRequiredService<IncidentService>();
        await incidents.CreateAsync(new NewIncident(schoolId, IncidentKinds.Safeguarding, "Worrying search terms on a class laptop",
            [pupils[0].Id], ["monitored"], "Searches about feeling unsafe at home were flagged on a Year 6 laptop during wet play. Spoke briefly with the pupil; passing to the DSL.",
            Actor, Notify: false), cancellationToken);
        await incidents.CreateAsync(new NewIncident(schoolId, IncidentKinds.Behaviour, "Unkind messages in a shared document",
            [pupils[1].Id, pupils[2].Id], ["pupil-kind-online"], "Two pupils wrote unkind comments about a classmate in a shared class document. Comments removed; both pupils spoken to.",
            Actor, Notify: false), cancellationToken);
        await incidents.CreateAsync(new NewIncident(schoolId, IncidentKinds.DataBreach, "Class list emailed to the wrong parent",
            [], ["staff-data"], "A class list with parents' phone numbers was emailed to one parent by mistake. The parent has confirmed they deleted it.",
            Actor, DiscoveredAt: time.GetUtcNow().AddHours(-20), Notify: false), cancellationToken);

        await services.GetRequiredService<SanctionService>().ImposeAsync(new ImposeSanction(
            schoolId, pupils[1].Id, SanctionKind.RestrictCategories, "Games played during lessons after two reminders", time.GetUtcNow().AddDays(7), ["games"], Actor),
            cancellationToken);
    }
}
