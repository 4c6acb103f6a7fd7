using System.Globalization;
using System.Net.Mail;
using Brightline.Policy.Model;
using Brightline.Portal;
using CsvHelper;
using CsvHelper.Configuration;

namespace Brightline.People;

internal sealed record ParsedImport(int RowsRead, IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportRowError> Errors);
