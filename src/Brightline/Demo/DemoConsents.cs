using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// Photo and media consent for the demo school (F11, C14): in two classes most parents answered through their link,
/// a few said no, some have not answered, one withdrew, and many children gave their verbal consent — so the consent
/// list, a child's history and the publication check have something to show. Written as rows, so nobody is emailed.
/// </summary>
internal static class DemoConsents
{
    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var policy = await services.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync(schoolId, cancellationToken);
        if (!policy.Consents.Stated)
        {
            return;
        }

        var now = StoredTime.Now(time);
        var year = policy.School.Calendar.AcademicYearLabel(SchoolClock.DateOf(now));
        var pupilBit = 1 << (int)PersonKind.Pupil;
        var classes = new[] { "3 Oak", "R Oak" };
        var children = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && (p.KindMask & pupilBit) != 0 && p.ClassName != null && classes.Contains(p.ClassName))
            .OrderBy(p => p.ClassName).ThenBy(p => p.GivenName).ToListAsync(cancellationToken);
        var parents = (await (from l in db.ParentLinks.AsNoTracking()
                              join p in db.People.AsNoTracking() on l.ParentId equals p.Id
                              where l.SchoolId == schoolId
                              select new { l.ChildId, Parent = p }).ToListAsync(cancellationToken))
            .GroupBy(x => x.ChildId).ToDictionary(g => g.Key, g => g.First().Parent);
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (i % 6 == 5 || !parents.TryGetValue(child.Id, out var parent))
            {
                continue; // not answered yet: counts as no
            }

            var at = now.AddDays(-20 + (i % 10));
            var groups = Brightline.Policies.PersonGroups.For(policy, child).Select(g => g.Id).ToList();
            foreach (var q in policy.Consents.For(groups))
            {
                var yes = (i + q.Id.Length) % 7 != 0;
                db.Add(Answer(schoolId, child, q.Id, yes, ConsentMethod.ParentForm, parent.Id, $"{parent.FullName} (parent, own link)", at, year, null));
                if (q.ChildVerbal && yes && i % 4 != 3)
                {
                    db.Add(Answer(schoolId, child, q.Id, true, ConsentMethod.ChildVerbal, null, $"{child.GivenName} (verbal, recorded by the class teacher)", at.AddDays(2), year, null));
                }
            }

            if (i == 2)
            {
                var first = policy.Consents.For(groups).FirstOrDefault();
                if (first is not null)
                {
                    db.Add(Answer(schoolId, child, first.Id, false, ConsentMethod.Withdrawal, parent.Id, $"{parent.FullName} (withdrawal, recorded by the school office)",
                        now.AddDays(-3), year, "Phoned the office: no photographs online for now."));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static ConsentAnswer Answer(string schoolId, Person child, string question, bool given, ConsentMethod method, Guid? parentId, string by, DateTimeOffset at,
        string year, string? note) => new()
    {
        SchoolId = schoolId, ChildId = child.Id, QuestionId = question, Given = given, Method = method, ParentId = parentId, RecordedByUserId = null, AnsweredBy = by,
        AnsweredAt = at, AcademicYear = year, Note = note,
    };
}
