using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Demo;

/// <summary>
/// Fills an empty installation with the example school and a few hundred generated people in varied
/// states, so the portal has something true-to-life to show on first run. A fixed seed makes every
/// demo the same, which keeps screenshots and walkthroughs valid.
/// </summary>
public static partial class DemoSeeder
{
    public const string Actor = "demo-seeder";
    private const int Seed = 20260901;

    private static readonly string[] s_given =
    [
        "Oliver", "Amelia", "George", "Isla", "Noah", "Ava", "Arthur", "Mia", "Muhammad", "Ivy", "Leo", "Lily", "Harry", "Freya",
        "Oscar", "Florence", "Archie", "Willow", "Henry", "Emily", "Theo", "Sophia", "Jack", "Grace", "Charlie", "Ella", "Freddie",
        "Poppy", "Alfie", "Evie", "Jacob", "Olivia", "Thomas", "Rosie", "Finley", "Daisy", "Arlo", "Sienna", "Aarav", "Zara",
        "Kai", "Amira", "Reuben", "Maya", "Ibrahim", "Layla", "Tobias", "Hana", "Owen", "Niamh",
    ];

    private static readonly string[] s_adultGiven =
    [
        "James", "Sarah", "David", "Emma", "Daniel", "Laura", "Michael", "Rachel", "Andrew", "Claire", "Mark", "Hannah", "Paul",
        "Nicola", "Richard", "Joanne", "Stephen", "Katie", "Adam", "Zoe", "Imran", "Aisha", "Wei", "Priya", "Tomasz", "Agnieszka",
        "Kwame", "Funmi", "Liam", "Siobhan",
    ];

    private static readonly string[] s_family =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson",
        "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Ali",
        "Lewis", "Harris", "Martin", "Cooper", "Ward", "Morris", "King", "Baker", "Turner", "Hill", "Nowak", "Mensah", "Chen",
        "O'Brien", "Begum",
    ];

    private static readonly string[] s_years = ["R", "1", "2", "3", "4", "5", "6"];

    public static async Task SeedIfEmptyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<BrightlineDbContext>();
        if (await db.Schools.AnyAsync(cancellationToken))
        {
            return;
        }

        var path = FindExamplePolicy();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Brightline.Demo");
        if (path is null)
        {
            LogNoPolicy(logger);
            return;
        }

        // The demo emails nobody: the services it seeds through tell people of requests, alerts and approvals as in real
        // use, and those emails are recorded in the email log as not sent (a worker may already be running, as in tests).
        using var withheld = Brightline.Email.EmailSender.Withhold("Not sent: the demo school emails nobody.");
        var time = sp.GetRequiredService<TimeProvider>();
        var store = sp.GetRequiredService<PolicyStore>();
        var version = await store.LoadAsync(await File.ReadAllTextAsync(path, cancellationToken), path, Actor, cancellationToken);
        var active = await store.ActiveVersionAsync(version.SchoolId, cancellationToken);
        var started = time.GetTimestamp();
        var count = await GenerateAsync(db, active, time, cancellationToken);
        await DemoRegisters.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoNetwork.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoDevices.SeedAsync(sp, version.SchoolId, cancellationToken);
        await DemoDeviceRequests.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoLoans.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoLostProperty.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoConsents.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        // The screens issue 17 defect 8 found empty; timed apart so their share of start-up stays visible in the log.
        var screens = time.GetTimestamp();
        await DemoFiltering.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoSafeguarding.SeedAsync(sp, version.SchoolId, time, cancellationToken);
        await DemoApprovals.SeedAsync(sp, version.SchoolId, cancellationToken);
        var total = time.GetElapsedTime(started).TotalSeconds;
        var screensTotal = time.GetElapsedTime(screens).TotalSeconds;
        LogSeeded(logger, count, total, screensTotal);
    }

    internal static string? FindExamplePolicy()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "policies", "example.yaml");
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (var start in new[] { Environment.GetEnvironmentVariable("BRIGHTLINE_REPO"), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "policies", "example.yaml");
                if (File.Exists(Path.Combine(dir.FullName, "Brightline.slnx")) && File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<int> GenerateAsync(BrightlineDbContext db, ActivePolicy active, TimeProvider time, CancellationToken cancellationToken)
    {
        var random = new Random(Seed);
        var policy = active.Policy;
        var schoolId = active.Version.SchoolId;
        var today = SchoolClock.Today(time);
        var yearStart = policy.School.Calendar.AcademicYearStart(today);
        var now = new DateTimeOffset(time.GetUtcNow().UtcDateTime, TimeSpan.Zero);

        // The demo school has been using Brightline since the start of the year, so deadlines have
        // passed and the dashboard shows overdue agreements as a real school would.
        var introduced = new DateTimeOffset(yearStart.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
        foreach (var v in await db.AgreementVersions.Where(v => v.SchoolId == schoolId).ToListAsync(cancellationToken))
        {
            v.CreatedAt = introduced;
        }

        var people = new List<Person>();
        var signatures = new List<Signature>();
        var usedEmails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        Person NewPerson(string source, string externalId, string given, string family, params PersonKind[] kinds)
        {
            var p = new Person
            {
                Id = Guid.NewGuid(),
                SchoolId = schoolId,
                ExternalId = externalId,
                Source = source,
                GivenName = given,
                FamilyName = family,
                KindMask = PersonGroups.Mask(kinds),
                JoinedOn = yearStart.AddYears(-random.Next(0, 6)),
                CreatedAt = now,
                UpdatedAt = now,
            };
            people.Add(p);
            return p;
        }

        string Email(string given, string family, string domain)
        {
            var local = $"{given}.{family}".ToLowerInvariant().Replace("'", "", StringComparison.Ordinal);
            var email = $"{local}@{domain}";
            for (var n = 2; !usedEmails.Add(email); n++)
            {
                email = $"{local}{n}@{domain}";
            }

            return email;
        }

        DateTimeOffset SignedAtSomeDayBetween(DateOnly from, DateOnly to)
        {
            var span = Math.Max(0, to.DayNumber - from.DayNumber);
            var day = from.AddDays(random.Next(0, span + 1));
            return new DateTimeOffset(day.ToDateTime(new TimeOnly(9 + random.Next(0, 8), random.Next(0, 60))), TimeSpan.Zero);
        }

        void Sign(Person person, Person signer, SignerCapacity capacity, string agreementId, DateOnly from, string? jobTitle = null)
        {
            var version = active.Agreements[agreementId];
            var at = SignedAtSomeDayBetween(from, Min(today, from.AddDays(20)));
            signatures.Add(new Signature
            {
                Id = Guid.NewGuid(),
                SchoolId = schoolId,
                PersonId = person.Id,
                SignerId = signer.Id,
                Capacity = capacity,
                AgreementVersionId = version.Id,
                AgreementId = agreementId,
                TextHash = version.TextHash,
                SignedName = signer.FullName,
                JobTitle = jobTitle,
                ClassName = person.ClassName,
                TeacherPresent = capacity == SignerCapacity.Self && person.YearGroup is not null,
                Method = capacity == SignerCapacity.Parent && random.Next(3) > 0 ? SignatureMethod.EmailLink : SignatureMethod.Portal,
                SignedAt = at,
                ClientAddress = "192.0.2." + random.Next(1, 250).ToString(System.Globalization.CultureInfo.InvariantCulture),
                AcademicYear = policy.School.Calendar.AcademicYearLabel(SchoolClock.DateOf(at)),
            });
        }

        // Staff: the policy's named role holders first, then class teachers and support staff.
        var staff = new List<Person>();
        var roles = new List<PersonRole>();
        var staffNumber = 0;
        foreach (var (role, holder) in policy.Roles.All())
        {
            if (holder.Organisation is not null && !string.IsNullOrEmpty(holder.Email) && holder.Email.Contains("example-it", StringComparison.Ordinal))
            {
                continue;
            }

            var existing = staff.FirstOrDefault(s => string.Equals(s.FullName, holder.Name, StringComparison.Ordinal));
            if (existing is null)
            {
                var parts = holder.Name.Split(' ', 2);
                if (parts.Length < 2)
                {
                    continue;
                }

                var isGovernor = string.Equals(role, RoleKeys.ChairOfGovernors, StringComparison.Ordinal);
                existing = NewPerson(isGovernor ? PeopleImporter.AdultsSource : PeopleImporter.StaffSource, $"ST{++staffNumber:000}", parts[0], parts[1],
                    isGovernor ? PersonKind.Governor : PersonKind.Staff);
                existing.Email = holder.Email ?? Email(parts[0], parts[1], "example-primary.example.org");
                existing.JobTitle = holder.Title;
                usedEmails.Add(existing.Email);
                staff.Add(existing);
            }

            roles.Add(new PersonRole { SchoolId = schoolId, PersonId = existing.Id, Role = role });
        }

        var classes = s_years.SelectMany(y => new[] { $"{y} Oak", $"{y} Ash" }).ToList();
        var teachers = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var className in classes)
        {
            var given = s_adultGiven[random.Next(s_adultGiven.Length)];
            var family = s_family[random.Next(s_family.Length)];
            var t = NewPerson(PeopleImporter.StaffSource, $"ST{++staffNumber:000}", given, family, PersonKind.Staff);
            t.Email = Email(given[..1], family, "example-primary.example.org");
            t.ClassName = className;
            t.JobTitle = className.StartsWith('R') ? "Reception Teacher" : $"Year {className.Split(' ')[0]} Teacher";
            teachers[className] = t;
            staff.Add(t);
        }

        string[] supportTitles = ["Teaching Assistant", "Teaching Assistant", "Higher Level Teaching Assistant", "Office Manager", "Site Manager", "SENCo", "Midday Supervisor"];
        while (staff.Count < 30)
        {
            var given = s_adultGiven[random.Next(s_adultGiven.Length)];
            var family = s_family[random.Next(s_family.Length)];
            var s = NewPerson(PeopleImporter.StaffSource, $"ST{++staffNumber:000}", given, family, PersonKind.Staff);
            s.Email = Email(given[..1], family, "example-primary.example.org");
            s.JobTitle = supportTitles[random.Next(supportTitles.Length)];
            staff.Add(s);
        }

        // A supply teacher who started this week (due), and one joiner who never signed (overdue).
        var supply = NewPerson(PeopleImporter.AdultsSource, "AD001", "Rebecca", "Frost", PersonKind.Supply);
        supply.Email = Email("Rebecca", "Frost", "supply.example.com");
        supply.JoinedOn = today.AddDays(-2);
        supply.JobTitle = "Supply Teacher";

        var adults = new List<Person> { supply };
        for (var i = 0; i < 6; i++)
        {
            var given = s_adultGiven[random.Next(s_adultGiven.Length)];
            var family = s_family[random.Next(s_family.Length)];
            var g = NewPerson(PeopleImporter.AdultsSource, $"AD{i + 2:000}", given, family, PersonKind.Governor);
            g.Email = Email(given, family, "governors.example.org");
            g.JobTitle = "Governor";
            adults.Add(g);
        }

        for (var i = 0; i < 5; i++)
        {
            var given = s_adultGiven[random.Next(s_adultGiven.Length)];
            var family = s_family[random.Next(s_family.Length)];
            var v = NewPerson(PeopleImporter.AdultsSource, $"AD{i + 10:000}", given, family, PersonKind.Volunteer);
            v.Email = Email(given, family, "volunteers.example.org");
            v.JobTitle = "Reading volunteer";
            adults.Add(v);
        }

        var student = NewPerson(PeopleImporter.AdultsSource, "AD020", "Ellie", "Marsden", PersonKind.Student);
        student.Email = Email("Ellie", "Marsden", "university.example.ac.uk");
        student.JobTitle = "Trainee teacher (PGCE placement)";
        adults.Add(student);

        foreach (var adult in staff.Concat(adults))
        {
            // Most staff signed in the first fortnight; a few have not (overdue), the new supply teacher is due.
            if (adult == supply || random.Next(100) < 8)
            {
                continue;
            }

            Sign(adult, adult, SignerCapacity.Self, "staff", Max(yearStart, adult.JoinedOn), adult.JobTitle ?? "Staff");
        }

        // Pupils and parents.
        var pupils = new List<Person>();
        var links = new List<ParentLink>();
        var parents = new List<Person>();
        var admission = 4000;
        var staffParent = staff.First(s => s.ClassName is null && !roles.Any(r => r.PersonId == s.Id));
        foreach (var className in classes)
        {
            var year = className.Split(' ')[0];
            for (var i = 0; i < 12; i++)
            {
                var family = s_family[random.Next(s_family.Length)];
                var pupil = NewPerson(PeopleImporter.PupilsSource, $"A{++admission}", s_given[random.Next(s_given.Length)], family, PersonKind.Pupil);
                pupil.YearGroup = year;
                pupil.ClassName = className;
                pupil.JoinedOn = year == "R" ? yearStart : yearStart.AddYears(-int.Parse(year, System.Globalization.CultureInfo.InvariantCulture));
                pupils.Add(pupil);

                // Some children share a parent with an older sibling already generated (same surname).
                var sibling = random.Next(100) < 15
                    ? pupils.LastOrDefault(p => p != pupil && string.Equals(p.FamilyName, family, StringComparison.Ordinal) && links.Any(l => l.ChildId == p.Id))
                    : null;
                if (sibling is not null)
                {
                    foreach (var l in links.Where(l => l.ChildId == sibling.Id).ToList())
                    {
                        links.Add(new ParentLink { SchoolId = schoolId, ParentId = l.ParentId, ChildId = pupil.Id, Relationship = l.Relationship });
                    }

                    continue;
                }

                var parentCount = random.Next(100) < 55 ? 2 : 1;
                for (var n = 0; n < parentCount; n++)
                {
                    var given = s_adultGiven[random.Next(s_adultGiven.Length)];
                    var parent = NewPerson(PeopleImporter.ParentsSource, "", given, n == 0 || random.Next(4) > 0 ? family : s_family[random.Next(s_family.Length)], PersonKind.Parent);
                    parent.Email = Email(given, parent.FamilyName, "parents.example.com");
                    parent.ExternalId = parent.Email;
                    parents.Add(parent);
                    links.Add(new ParentLink { SchoolId = schoolId, ParentId = parent.Id, ChildId = pupil.Id, Relationship = n == 0 ? "Mother" : "Father" });
                }
            }
        }

        // A member of staff whose child is in Year 2: one person, a parent and staff.
        staffParent.KindMask |= PersonGroups.Mask(PersonKind.Parent);
        var staffChild = pupils.First(p => p.ClassName == "2 Ash");
        links.Add(new ParentLink { SchoolId = schoolId, ParentId = staffParent.Id, ChildId = staffChild.Id, Relationship = "Mother" });

        // Mid-year joiners (induction deadline) and two leavers.
        foreach (var joiner in pupils.Where(p => p.YearGroup is "1" or "4").Take(3))
        {
            joiner.JoinedOn = today.AddDays(-random.Next(1, 6));
        }

        foreach (var leaver in pupils.Where(p => p.YearGroup == "6").Skip(5).Take(2))
        {
            leaver.LeftOn = yearStart.AddDays(45);
        }

        var linksByChild = links.ToLookup(l => l.ChildId);
        var byId = people.ToDictionary(p => p.Id);
        foreach (var pupil in pupils.Where(p => p.LeftOn is null))
        {
            var required = policy.Agreements.First(a => a.Audience.Any(g => PersonGroups.For(policy, pupil).Any(pg => string.Equals(pg.Id, g, StringComparison.Ordinal))));
            var from = Max(yearStart, pupil.JoinedOn);
            var roll = random.Next(100);
            var parent = linksByChild[pupil.Id].Select(l => byId[l.ParentId]).FirstOrDefault();
            var needsSelf = required.Signers is Signers.Self or Signers.Both;
            if (roll < 72 && parent is not null)
            {
                if (needsSelf)
                {
                    Sign(pupil, pupil, SignerCapacity.Self, required.Id, from);
                }

                Sign(pupil, parent, SignerCapacity.Parent, required.Id, from);
            }
            else if (roll < 86 && needsSelf)
            {
                // The pupil signed in class; the parent has not yet (awaiting parent).
                Sign(pupil, pupil, SignerCapacity.Self, required.Id, from);
            }
        }

        // Most parents signed the parent agreement when their first child joined; a few never have.
        foreach (var parent in parents.Where(_ => random.Next(100) < 85))
        {
            Sign(parent, parent, SignerCapacity.Self, "parent", Min(today, parent.JoinedOn.AddDays(random.Next(1, 15))));
        }

        db.People.AddRange(people);
        await db.SaveChangesAsync(cancellationToken);
        db.ParentLinks.AddRange(links.DistinctBy(l => (l.ParentId, l.ChildId)));
        db.PersonRoles.AddRange(roles.DistinctBy(r => (r.PersonId, r.Role)));
        db.Signatures.AddRange(signatures);
        await db.SaveChangesAsync(cancellationToken);
        // Signatures written here bypass signing: drop the stored agreement standings' stamp so they are worked out
        // afresh for the whole school before anyone reads them (issue 18 part 1).
        await db.Set<AgreementStandingStamp>().Where(s => s.SchoolId == schoolId).ExecuteDeleteAsync(cancellationToken);
        return people.Count;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo not created: policies/example.yaml was not found beside the binary or in the repository.")]
    private static partial void LogNoPolicy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo school created with {Count} people in {Seconds:0.0} s ({ScreensSeconds:0.0} s of it filtering, alerts, approvals and custody).")]
    private static partial void LogSeeded(ILogger logger, int count, double seconds, double screensSeconds);
}
