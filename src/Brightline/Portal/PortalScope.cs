using System.Security.Claims;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

/// <summary>
/// Who the signed-in user is at the school shown, and which people they may see. Every page that lists or
/// opens a person goes through <see cref="People"/> or <see cref="FindPersonAsync"/>, so the rules live here
/// once: whole-school roles see everyone; a teacher their own class's pupils and themselves; a Head of Year the
/// pupils of their year group and themselves; a parent their linked children and themselves; anyone else only themselves. A person outside the scope is "not found".
/// </summary>
public sealed class PortalScope(BrightlineDbContext db, IHttpContextAccessor accessor)
{
    private string? _teacherClass;
    private bool _teacherClassLoaded;
    private string? _headOfYear;
    private bool _headOfYearLoaded;

    private ClaimsPrincipal User => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsSignedIn => User.Identity?.IsAuthenticated == true;

    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string UserName => User.Identity?.Name ?? "anonymous";

    public string? SchoolId => User.FindFirstValue(PortalClaims.School);

    public string RequiredSchoolId => SchoolId ?? throw new Kernel.ForbiddenException("Your account is not linked to a school yet. Ask the school's administrator.");

    public Guid? PersonId => Guid.TryParse(User.FindFirstValue(PortalClaims.Person), out var id) ? id : null;

    public int SchoolCount => int.TryParse(User.FindFirstValue(PortalClaims.SchoolCount), out var n) ? n : 0;

    public IReadOnlyList<string> Roles => User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();

    public bool HasRole(string role) => User.IsInRole(role);

    public bool HasAnyRole(IEnumerable<string> roles) => roles.Any(User.IsInRole);

    public bool SeesWholeSchool => HasAnyRole(PortalRoles.WholeSchool);

    public bool IsAdmin => HasRole(PortalRoles.Admin);

    public bool CanManage => HasAnyRole(PortalRoles.Managers);

    public bool CanReadAudit => HasAnyRole(PortalRoles.AuditReaders);

    public bool CanListPeople => HasAnyRole(PortalRoles.PeopleReaders);

    public bool IsStaff => HasAnyRole(PortalRoles.StaffRoles);

    /// <summary>The class a teacher teaches (from their person record), or null.</summary>
    public async Task<string?> TeacherClassAsync(CancellationToken cancellationToken)
    {
        if (!_teacherClassLoaded)
        {
            _teacherClassLoaded = true;
            if (HasRole(PortalRoles.Teacher) && PersonId is { } self)
            {
                _teacherClass = await db.People.AsNoTracking().Where(p => p.Id == self).Select(p => p.ClassName).FirstOrDefaultAsync(cancellationToken);
            }
        }

        return _teacherClass;
    }

    /// <summary>
    /// The year group a Head of Year looks after: their own person record's year group, or null — then they see pupils
    /// of no year, never the whole school. The staff import's optional year column sets it (docs/people-import.md).
    /// </summary>
    public async Task<string?> HeadOfYearGroupAsync(CancellationToken cancellationToken)
    {
        if (!_headOfYearLoaded)
        {
            _headOfYearLoaded = true;
            if (HasAnyRole(PortalRoles.YearGroupScoped) && PersonId is { } self)
            {
                _headOfYear = await db.People.AsNoTracking().Where(p => p.Id == self).Select(p => p.YearGroup).FirstOrDefaultAsync(cancellationToken);
            }
        }

        return _headOfYear;
    }

    /// <summary>The people at the current school this user may see.</summary>
    public async Task<IQueryable<Person>> PeopleAsync(CancellationToken cancellationToken)
    {
        var school = SchoolId;
        if (school is null)
        {
            return db.People.Where(p => false);
        }

        var all = db.People.Where(p => p.SchoolId == school);
        if (SeesWholeSchool)
        {
            return all;
        }

        // Guid.Empty never matches a real person, so an account without a person record sees nobody.
        var self = PersonId ?? Guid.Empty;
        var teacherClass = await TeacherClassAsync(cancellationToken);
        var yearGroup = await HeadOfYearGroupAsync(cancellationToken);
        var isParent = HasRole(PortalRoles.Parent);
        var pupilBit = PersonGroups.Mask(PersonKind.Pupil);
        var links = db.ParentLinks.Where(l => l.SchoolId == school);
        return all.Where(p =>
            p.Id == self
            || (teacherClass != null && p.ClassName == teacherClass && (p.KindMask & pupilBit) != 0)
            || (yearGroup != null && p.YearGroup == yearGroup && (p.KindMask & pupilBit) != 0)
            || (isParent && links.Any(l => l.ParentId == self && l.ChildId == p.Id)));
    }

    /// <summary>One person, or null when they do not exist or are outside this user's scope (callers answer 404 either way).</summary>
    public async Task<Person?> FindPersonAsync(Guid id, CancellationToken cancellationToken) =>
        await (await PeopleAsync(cancellationToken)).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    private string? _schoolName;

    /// <summary>
    /// The name of the school this user is acting for, for the header and the page title (issue 17 defect 4: every
    /// page says which school it belongs to); one primary-key read per request.
    /// </summary>
    public async Task<string?> SchoolNameAsync(CancellationToken cancellationToken)
    {
        if (_schoolName is null && SchoolId is { } schoolId)
        {
            _schoolName = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        }

        return _schoolName;
    }

    /// <summary>The schools this user holds a role at, for the school switcher.</summary>
    public async Task<IReadOnlyList<Brightline.Data.Entities.School>> SchoolsAsync(CancellationToken cancellationToken)
    {
        var userId = UserId;
        if (userId is null)
        {
            return [];
        }

        var ids = db.SchoolMemberships.Where(m => m.UserId == userId).Select(m => m.SchoolId);
        return await db.Schools.AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(cancellationToken);
    }

    public string? ClientAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
