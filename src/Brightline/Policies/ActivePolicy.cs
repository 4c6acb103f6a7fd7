using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>A school's active policy together with the stored version of each of its agreements' text.</summary>
public sealed record ActivePolicy(
    PolicyVersion Version,
    SchoolPolicy Policy,
    IReadOnlyDictionary<string, AgreementVersion> Agreements);
