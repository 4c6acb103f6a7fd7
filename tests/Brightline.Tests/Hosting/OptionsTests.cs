using Brightline.AccessChanges;
using System.Reflection;
using System.Runtime.CompilerServices;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Hosting;

/// <summary>
/// Settings are read one way (<see cref="Settings.AddSettings{T}"/>): a value that does not convert or breaks a rule
/// stops start-up naming the key, and every setting is documented in docs/configuration.md.
/// </summary>
public sealed class OptionsTests
{
    /// <summary>Representative bad values: not a number, out of range, not a bool, not an address, not a URL — read at start-up and at registration.</summary>
    public static readonly (string Key, string Value)[] BadSettings =
    [
        ("Brightline:Dns:TcpIdleTimeoutSeconds", "ten"),
        ("Brightline:Dns:MaxTcpConnectionsPerClient", "0"),
        ("Brightline:Dns:Listen:0", "the-school-router"),
        ("Brightline:Access:ChangePollMilliseconds", "10"),
        ("Brightline:Email:PollSeconds", "soon"),
        ("Brightline:Email:Worker", "perhaps"),
        ("Brightline:Agreements:CountersignLinkDays", "0"),
        ("Brightline:Portal:BaseUrl", "portal.school"),
        ("Brightline:Monitoring:Ingestion:MaxEvents", "-1"),
        ("Brightline:Demo:Enabled", "yes please"),
        ("Brightline:Filtering:RefreshInterval", "00:00:00"),
        ("Brightline:Database:Provider", "mysql"),
    ];

    public static TheoryData<DatabaseProvider, string, string> BadSettingCases
    {
        get
        {
            var data = new TheoryData<DatabaseProvider, string, string>();
            foreach (var provider in TestDatabases.Providers)
            {
                foreach (var (key, value) in BadSettings)
                {
                    data.Add(provider, key, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadSettingCases))]
    public async Task BadSetting_StopsStartUpNamingTheKey(DatabaseProvider provider, string key, string value)
    {
        var error = await Should.ThrowAsync<Exception>(() => BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { [key] = value }));

        // A list entry is named with its index (Brightline:Dns:Listen:0); everything else by its full key.
        error.Message.ShouldContain(key, Case.Sensitive, $"start-up failed without naming {key}: {error.Message}");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task GoodSettings_AreReadThroughTheOptions(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Dns:TcpIdleTimeoutSeconds"] = "2.5",
            ["Brightline:Access:ChangePollMilliseconds"] = "250",
            ["Brightline:Portal:BaseUrl"] = "https://portal.school.test",
        });

        server.Services.GetRequiredService<Brightline.DnsFiltering.DnsHostOptions>().TcpIdleTimeoutSeconds.ShouldBe(2.5);
        server.Services.GetRequiredService<Brightline.AccessChanges.AccessChangeOptions>().ChangePollMilliseconds.ShouldBe(250);
        server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Brightline.Kernel.PortalLinkOptions>>().Value.BaseUrl
            .ShouldBe("https://portal.school.test");
    }

    [Fact]
    public void EveryOptionsProperty_IsListedInTheConfigurationPage()
    {
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));
        var options = OptionsTypes().ToList();
        options.Count.ShouldBeGreaterThan(15, "the reflection found too few options types to be looking in the right place");

        var missing = options
            .SelectMany(o => Settable(o.Type).Select(p => $"{o.Section}:{p.Name}"))
            .Where(key => !page.Contains($"`{key}`", StringComparison.Ordinal))
            .ToList();

        missing.ShouldBeEmpty($"docs/configuration.md does not list: {string.Join(", ", missing)}");
    }

    /// <summary>Every type in Brightline with a <c>public const string Section</c> and a public settable property.</summary>
    private static IEnumerable<(Type Type, string Section)> OptionsTypes() =>
        typeof(Settings).Assembly.GetTypes()
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } f && f.FieldType == typeof(string) && Settable(x.Type).Any())
            .Select(x => (x.Type, (string)x.Field!.GetRawConstantValue()!));

    /// <summary>Public instance properties with a public setter the binder can use (not init-only, as on records read from policy YAML).</summary>
    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } set
                && !set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)));
}
