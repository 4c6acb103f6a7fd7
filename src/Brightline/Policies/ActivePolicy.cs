using System.Collections.Concurrent;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Policies;

/// <summary>A school's active policy together with the stored version of each of its agreements' text.</summary>
public sealed record ActivePolicy(
    PolicyVersion Version,
    SchoolPolicy Policy,
    IReadOnlyDictionary<string, AgreementVersion> Agreements);
