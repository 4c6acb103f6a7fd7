using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Agreements;

public sealed class AgreementOptions
{
    public const string Section = "Brightline:Agreements";

    /// <summary>How long an emailed countersign link works.</summary>
    [Range(1, 365)]
    public int CountersignLinkDays { get; set; } = 14;
}
