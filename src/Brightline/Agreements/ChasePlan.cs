using System.Security.Cryptography;
using System.Text;

namespace Brightline.Agreements;

/// <summary>
/// A chase worked out before anything is sent: the reminders (one per parent or carer), the countersignatures they
/// cover, and the children none of whose parents has an email address. <see cref="Fingerprint"/> names exactly this
/// plan, so a send can tell whether the list changed since the confirmation was shown.
/// </summary>
public sealed record ChasePlan(IReadOnlyList<ChaseLetter> Letters, int Countersignatures, IReadOnlyList<Brightline.Data.Entities.Person> Unreachable)
{
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder();
            foreach (var letter in Letters)
            {
                text.Append(letter.Parent.Id).Append(':');
                foreach (var item in letter.Items)
                {
                    text.Append(item.Child.Id).Append('/').Append(item.Required.AgreementVersionId).Append(',');
                }

                text.Append(';');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }
    }
}
