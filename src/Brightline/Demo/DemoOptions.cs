using Brightline.Kernel;
using Microsoft.Extensions.Options;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Demo;

/// <summary>The demo school (section <c>Brightline:Demo</c>).</summary>
public sealed class DemoOptions
{
    public const string Section = "Brightline:Demo";

    /// <summary>Create the demo school when the database is empty (<c>serve --no-demo</c> also turns it off).</summary>
    public bool Enabled { get; set; } = true;
}
