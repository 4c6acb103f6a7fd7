using System.ComponentModel.DataAnnotations;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

/// <summary>A file attached to an email.</summary>
public sealed record EmailAttachment(string FileName, string MediaType, byte[] Content);
