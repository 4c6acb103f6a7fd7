using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Passwords;

/// <summary>The password rules one school's policy gives an account: the school, its policy, the account's person there (if any) and the rules.</summary>
public sealed record SchoolPasswordRules(string SchoolId, SchoolPolicy Policy, Person? Person, IReadOnlyList<PasswordRule> Rules);
