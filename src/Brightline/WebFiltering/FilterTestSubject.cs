using System.Globalization;
using Person = Brightline.Data.Entities.Person;
using Brightline.People;
using Brightline.Policy.Model;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>Who a URL is tested as: the label shown, and the profiles that person or group is filtered by.</summary>
public sealed record FilterTestSubject(string Label, string[] Profiles);
