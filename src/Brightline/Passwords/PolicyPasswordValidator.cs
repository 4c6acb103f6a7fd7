using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Passwords;

/// <summary>
/// The portal's password check (issue 15; F3, C16, H13), for every creation, change and reset: the rules of the
/// account's schools' <c>passwords:</c> sections for its person's groups, or the built-in rule (12 characters, 5
/// different, not guessable — exactly the portal's rule before the section existed). Each message says what is wrong.
/// </summary>
public sealed class PolicyPasswordValidator(AccountPasswordRules accountRules, BrightlineDbContext db) : IPasswordValidator<ApplicationUser>
{
    public const string CodeTooShort = "PasswordTooShort";
    public const string CodeCommon = "CommonPassword";
    public const string CodeSchoolName = "PasswordSchoolName";
    public const string CodeOwnName = "PasswordOwnName";
    public const string CodeStaffName = "PasswordStaffName";
    public const string CodeReused = "PasswordReused";

    // The built-in rule's words, kept exactly as before the policy could set rules.
    private static readonly string[] s_banned = ["password", "12345678", "qwertyuiop", "brightline", "letmein", "welcome1", "iloveyou"];

    // Words in school names that name no school in particular: "Westfield Primary School" is refused for "westfield", not "school".
    private static readonly HashSet<string> s_genericSchoolWords = new(StringComparer.Ordinal)
    {
        "school", "primary", "secondary", "academy", "college", "infant", "infants", "junior", "juniors", "nursery", "church",
        "england", "catholic", "community", "federation", "trust", "saint", "the", "and", "prep", "preparatory", "high",
    };

    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (password is null)
        {
            return IdentityResult.Success;
        }

        var schools = await accountRules.ForAccountAsync(user.Id, CancellationToken.None);
        var errors = new List<IdentityError>();
        foreach (var rule in AccountPasswordRules.Flatten(schools))
        {
            if (rule.IsBuiltIn)
            {
                BuiltIn(manager, user, password, errors);
                continue;
            }

            foreach (var school in schools.Where(s => s.Rules.Contains(rule)))
            {
                await CheckAsync(manager, user, password, rule, school, errors);
            }
        }

        var distinct = errors.DistinctBy(e => e.Description, StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. distinct]);
    }

    /// <summary>The portal's rule before issue 15, unchanged: Identity's own length and variety messages, and the guessable-word check.</summary>
    private static void BuiltIn(UserManager<ApplicationUser> manager, ApplicationUser user, string password, List<IdentityError> errors)
    {
        var rule = PasswordRule.BuiltIn;
        if (password.Length < rule.MinLength)
        {
            errors.Add(manager.ErrorDescriber.PasswordTooShort(rule.MinLength));
        }

        if (password.Distinct().Count() < rule.MinUniqueChars)
        {
            errors.Add(manager.ErrorDescriber.PasswordRequiresUniqueChars(rule.MinUniqueChars));
        }

        var localPart = user.Email?.Split('@')[0];
        if (s_banned.Any(b => password.Contains(b, StringComparison.OrdinalIgnoreCase))
            || (localPart is { Length: >= 4 } && password.Contains(localPart, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new IdentityError
            {
                Code = CodeCommon,
                Description = "That password is too easy to guess. Try three random words, like \"kettle river lantern\".",
            });
        }
    }

    private async Task CheckAsync(
        UserManager<ApplicationUser> manager, ApplicationUser user, string password, PasswordRule rule, SchoolPasswordRules school, List<IdentityError> errors)
    {
        if (password.Length < rule.MinLength)
        {
            errors.Add(Error(CodeTooShort, $"Your password needs at least {rule.MinLength} characters."));
        }

        if (password.Distinct().Count() < rule.MinUniqueChars)
        {
            errors.Add(manager.ErrorDescriber.PasswordRequiresUniqueChars(rule.MinUniqueChars));
        }

        foreach (var need in rule.Require)
        {
            var (has, add) = need switch
            {
                PasswordCharClass.Lower => (password.Any(char.IsLower), "add a lower-case letter"),
                PasswordCharClass.Upper => (password.Any(char.IsUpper), "add a capital letter"),
                PasswordCharClass.Digit => (password.Any(char.IsDigit), "add a number"),
                PasswordCharClass.Symbol => (password.Any(c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c)), "add a symbol, such as ! or #"),
                _ => (true, ""),
            };
            if (!has)
            {
                errors.Add(Error("PasswordRequires" + need, $"Your password needs more variety: {add}."));
            }
        }

        var compact = Letters(password);
        foreach (var reject in rule.Reject)
        {
            switch (reject)
            {
                case PasswordRejection.Common:
                    if (CommonPasswordList.IsCommon(password) || s_banned.Any(b => password.Contains(b, StringComparison.OrdinalIgnoreCase)))
                    {
                        errors.Add(Error(CodeCommon, "That password is too common: it is on the list of passwords people use most. Try three random words, like \"kettle river lantern\"."));
                    }

                    break;
                case PasswordRejection.SchoolName:
                    if (SchoolWords(school.Policy.School).Any(w => compact.Contains(w, StringComparison.Ordinal)))
                    {
                        errors.Add(Error(CodeSchoolName, "Your password contains the school's name, which is easy to guess. Choose one without it."));
                    }

                    break;
                case PasswordRejection.OwnName:
                    if (OwnWords(user, school.Person).Any(w => compact.Contains(w, StringComparison.Ordinal)))
                    {
                        errors.Add(Error(CodeOwnName, "Your password contains your own name, which is easy to guess. Choose one without it."));
                    }

                    break;
                case PasswordRejection.StaffNames:
                    if (await ContainsStaffNameAsync(school.SchoolId, compact))
                    {
                        errors.Add(Error(CodeStaffName, "Your password contains the name of a member of staff, which is easy to guess. Choose one without it."));
                    }

                    break;
                default:
                    break;
            }
        }

        if ((rule.RememberAll || rule.Remember > 0) && await UsedBeforeAsync(manager, user, password, rule))
        {
            errors.Add(Error(CodeReused, rule.RememberAll
                ? "You used this password before. Choose one you have never used here."
                : $"You used this password before. Choose one that is not one of your last {rule.Remember} passwords."));
        }
    }

    /// <summary>The current password and the remembered ones, checked with the hasher's own verification (hashes are salted).</summary>
    private async Task<bool> UsedBeforeAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string password, PasswordRule rule)
    {
        var hashes = new List<string>();
        if (user.PasswordHash is { } current)
        {
            hashes.Add(current);
        }

        var query = db.Set<PasswordHistoryEntry>().AsNoTracking().Where(h => h.UserId == user.Id).OrderByDescending(h => h.Id).Select(h => h.Hash);
        hashes.AddRange(rule.RememberAll ? await query.ToListAsync() : await query.Take(rule.Remember).ToListAsync());
        return hashes.Distinct(StringComparer.Ordinal)
            .Any(h => manager.PasswordHasher.VerifyHashedPassword(user, h, password) != PasswordVerificationResult.Failed);
    }

    private async Task<bool> ContainsStaffNameAsync(string schoolId, string compact)
    {
        var staffBit = PersonGroups.Mask(PersonKind.Staff);
        var names = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && (p.KindMask & staffBit) != 0 && p.LeftOn == null)
            .Select(p => new { p.GivenName, p.FamilyName }).ToListAsync();
        // Four letters or more: a three-letter name ("Ann", "Lee") is inside too many ordinary words to refuse.
        return names.SelectMany(n => Words(n.GivenName).Concat(Words(n.FamilyName))).Where(w => w.Length >= 4).Distinct(StringComparer.Ordinal)
            .Any(w => compact.Contains(w, StringComparison.Ordinal));
    }

    private static IEnumerable<string> SchoolWords(Brightline.Policy.Model.School school)
    {
        var words = Words(school.Name).Where(w => w.Length >= 4 && !s_genericSchoolWords.Contains(w)).ToList();
        words.Add(Letters(school.Name));
        words.AddRange(Words(school.Id).Where(w => w.Length >= 4 && !s_genericSchoolWords.Contains(w)));
        return words.Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> OwnWords(ApplicationUser user, Person? person)
    {
        var words = new List<string>();
        if (person is not null)
        {
            words.AddRange(Words(person.GivenName));
            words.AddRange(Words(person.FamilyName));
        }

        if (user.DisplayName is { } display && !display.Contains('@', StringComparison.Ordinal))
        {
            words.AddRange(Words(display)); // a display name that is the email address says nothing more than the email does
        }

        if (user.Email?.Split('@')[0] is { } local)
        {
            words.AddRange(Words(local));
        }

        return words.Where(w => w.Length >= 3).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The letters of a text, lower case ("St Clement's" → "stclements"): names are found with any spacing or punctuation.</summary>
    internal static string Letters(string? text) => new((text ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    private static IEnumerable<string> Words(string? text) =>
        (text ?? "").Split([' ', '-', '.', '_', '\'', '’', ',', '@', '(', ')', '&', '/'], StringSplitOptions.RemoveEmptyEntries).Select(Letters).Where(w => w.Length > 0);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
