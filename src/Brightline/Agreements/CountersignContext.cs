using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public sealed record CountersignContext(string SchoolId, Person Child, Person Parent, AgreementVersion Version, DateTimeOffset ExpiresAt);
