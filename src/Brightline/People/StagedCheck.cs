using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.People;

/// <summary>What "Check the file" produced: the dry run's report and the handle "Apply" sends back.</summary>
public sealed record StagedCheck(string Id, ImportReport Report, DateTimeOffset ExpiresAt);
