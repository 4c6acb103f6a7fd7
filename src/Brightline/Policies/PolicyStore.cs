using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>Stores policy versions and serves each school's active policy. (Stub: being built.)</summary>
public sealed class PolicyStore(BrightlineDbContext db, TimeProvider time)
{
    public Task<SchoolPolicy> ActiveAsync(string schoolId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<PolicyVersion> LoadAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<Brightline.Data.Entities.School>> SchoolsAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    internal BrightlineDbContext Db => db;

    internal TimeProvider Time => time;
}
