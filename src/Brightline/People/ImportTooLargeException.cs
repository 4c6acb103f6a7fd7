using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.People;

/// <summary>An import file over <see cref="PeopleOptions.MaxImportBytes"/>: refused before it is kept anywhere.</summary>
public sealed class ImportTooLargeException(int limit)
    : TooLargeException(Describe(limit))
{
    public int Limit { get; } = limit;

    public static string Describe(int limit) =>
        $"The file is larger than the limit of {PeopleOptions.Describe(limit)}. An MIS export of a whole school is usually well under 1 MB: check that you chose the right file.";
}
