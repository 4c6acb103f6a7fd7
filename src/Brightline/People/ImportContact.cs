using System.Globalization;
using System.Net.Mail;
using Brightline.Policy.Model;
using Brightline.Portal;
using CsvHelper;
using CsvHelper.Configuration;

namespace Brightline.People;

internal sealed record ImportContact(int Number, string GivenName, string FamilyName, string? Email, string? Relationship);
