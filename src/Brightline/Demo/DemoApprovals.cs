using System.Security.Cryptography;
using Brightline.Approvals;
using Brightline.Custody;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// Approvals and the custody register for the demo school (issue 17 defect 8): requests waiting for the head, approved
/// (guest Wi-Fi codes, a volunteer filtered as staff, a teacher's lesson unblock) and declined, and two devices in the
/// chain of custody — one still in the DSL's cabinet, one returned. All through <see cref="ApprovalService"/> and
/// <see cref="CustodyService"/>, so the histories, effects and audit entries are those of real use.
/// </summary>
internal static class DemoApprovals
{
    public static async Task SeedAsync(IServiceProvider services, string schoolId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var policy = await services.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync(schoolId, cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null).OrderBy(p => p.ExternalId).ToListAsync(cancellationToken);
        Person? ByEmail(string? email) => email is null ? null : people.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
        var head = ByEmail(policy.Roles.Head?.Email);
        var business = ByEmail(policy.Roles.BusinessManager?.Email);
        var teacher = people.FirstOrDefault(p => p.YearGroup is null && p.ClassName is not null && p.ClassName.StartsWith('4'));
        var volunteer = people.FirstOrDefault(p => p.JobTitle == "Reading volunteer");
        if (head?.Email is null || business?.Email is null || teacher?.Email is null || volunteer is null)
        {
            return;
        }

        var approvals = services.GetRequiredService<ApprovalService>();
        var asHead = new ApprovalActor(head.Email, head.Id, [PortalRoles.Head]);
        var asOffice = new ApprovalActor(business.Email, business.Id, [PortalRoles.BusinessManager]);
        var asTeacher = new ApprovalActor(teacher.Email, teacher.Id, [PortalRoles.Teacher]);
        bool Offered(string kind) => policy.Approvals.Types.Any(t => t.Id == kind);

        if (Offered(ApprovalKindKeys.GuestWifi))
        {
            var wifi = await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.GuestWifi, "Visiting author's workshop with Years 3 and 4.",
                Detail: "Children's author and her assistant", VoucherCount: 2), asOffice, cancellationToken);
            await approvals.ApproveAsync(schoolId, wifi.Id, "Two codes for the day of the visit.", asHead, cancellationToken);
            var governor = await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.GuestWifi, "Governor monitoring visit: looking at the reading curriculum.",
                Detail: "Governor visit", VoucherCount: 1), asOffice, cancellationToken);
            await approvals.DeclineAsync(schoolId, governor.Id, "Governors have their own Brightline accounts and sign in to the staff Wi-Fi; no guest code is needed.", asHead, cancellationToken);
        }

        if (Offered(ApprovalKindKeys.OfficialCapacity))
        {
            var capacity = await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.OfficialCapacity,
                "Runs the lunchtime reading club on the library laptops three days a week.", SubjectPersonId: volunteer.Id), asOffice, cancellationToken);
            await approvals.ApproveAsync(schoolId, capacity.Id, "DBS checked; until the end of the spring term.", asHead, cancellationToken);
        }

        if (Offered(ApprovalKindKeys.Exemption))
        {
            await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.Exemption,
                "Times-tables games on the interactive whiteboard in maths lessons, which fall in teaching hours.", Category: "games",
                AgreementAccepted: true, AgreementSignedName: teacher.FullName), asTeacher, cancellationToken);
        }

        if (Offered(ApprovalKindKeys.PersonalDevice))
        {
            var phone = await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.PersonalDevice, "To read school email on my own phone.",
                Detail: "Personal Android phone, screen lock with PIN, storage encrypted by default", AgreementAccepted: true, AgreementSignedName: teacher.FullName),
                asTeacher, cancellationToken);
            await approvals.DeclineAsync(schoolId, phone.Id, "Staff email is available on the school iPads; personal phones are not approved for school data this year.", asHead, cancellationToken);
        }

        if (Offered(ApprovalKindKeys.ClassUnblock))
        {
            await approvals.RequestAsync(schoolId, new NewApproval(ApprovalKindKeys.ClassUnblock, "Science lesson on the water cycle: a short animation.",
                Host: "www.nationalgeographic.com", DurationMinutes: 60), asTeacher, cancellationToken);
        }

        await CustodyAsync(services, schoolId, policy, people, cancellationToken);
    }

    /// <summary>
    /// Custody steps are signed with a portal password, so the two signers (the deputy DSL and the head) get demo accounts
    /// with a random password that is used here and thrown away: nobody can sign in with them until the administrator
    /// sends each a sign-in link from Users.
    /// </summary>
    private static async Task CustodyAsync(IServiceProvider services, string schoolId, SchoolPolicy policy, List<Person> people, CancellationToken cancellationToken)
    {
        var deputy = policy.Roles.DeputyDsl is [{ Email: { } d }, ..] ? people.FirstOrDefault(p => string.Equals(p.Email, d, StringComparison.OrdinalIgnoreCase)) : null;
        var head = policy.Roles.Head?.Email is { } h ? people.FirstOrDefault(p => string.Equals(p.Email, h, StringComparison.OrdinalIgnoreCase)) : null;
        var owner = people.Where(p => p.YearGroup == "6").Skip(4).FirstOrDefault();
        if (deputy?.Email is null || head?.Email is null || owner is null)
        {
            return;
        }

        var deputyPassword = await AccountAsync(services, schoolId, deputy, PortalRoles.DeputyDsl, cancellationToken);
        var headPassword = await AccountAsync(services, schoolId, head, PortalRoles.Head, cancellationToken);
        if (deputyPassword is null || headPassword is null)
        {
            return;
        }

        var db = services.GetRequiredService<BrightlineDbContext>();
        var incident = await db.Set<Incident>().AsNoTracking().Where(i => i.SchoolId == schoolId && i.Kind == Incidents.IncidentKinds.Safeguarding)
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
        var custody = services.GetRequiredService<CustodyService>();
        var user = await services.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(deputy.Email);
        var actor = new CustodyActor(schoolId, user!.Id, deputy.Email);

        var phone = await custody.RecordAsync(actor, new NewCustodyItem("Black Samsung phone in a blue case", null, owner.Id, incident, "seized",
            "Pupil was showing messages from an unknown adult to friends at break; taken so the messages are kept for the DSL.", "Deputy DSL's office",
            "Phone switched off in front of the pupil; not looked through.", deputyPassword), cancellationToken);
        await custody.AddStepAsync(actor, phone.Id, new NewCustodyStep("stored", head.Email, headPassword, null, null, null, null,
            "Headteacher's locked cabinet", "Kept until the DSL has spoken to the parents.", null), cancellationToken);

        var stick = await custody.RecordAsync(actor, new NewCustodyItem("Red USB memory stick", "no label", null, null, "handed_in",
            "Found in the ICT suite after the Year 5 lesson and handed in by the teaching assistant.", "School office", null, deputyPassword), cancellationToken);
        await custody.AddStepAsync(actor, stick.Id, new NewCustodyStep("returned", deputy.Email, deputyPassword, null, null, null, null, null,
            "Returned to the Year 5 teacher, whose lesson files it held.", null), cancellationToken);
    }

    private static async Task<string?> AccountAsync(IServiceProvider services, string schoolId, Person person, string role, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByNameAsync(person.Email!) is not null)
        {
            return null;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)) + "aA1!";
        var user = new ApplicationUser { UserName = person.Email, Email = person.Email, EmailConfirmed = true, DisplayName = person.FullName };
        if (!(await users.CreateAsync(user, password)).Succeeded)
        {
            return null;
        }

        var db = services.GetRequiredService<BrightlineDbContext>();
        db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = schoolId, Role = role, PersonId = person.Id });
        await db.SaveChangesAsync(cancellationToken);
        return password;
    }
}
