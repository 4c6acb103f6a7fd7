using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Incidents;

/// <summary>What a new incident's routing needs: its register's settings and the people it is about.</summary>
public sealed record IncidentNotice(IncidentKindSettings Kind, IncidentSettings Settings, IReadOnlyList<Guid> People);
