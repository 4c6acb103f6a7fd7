using Brightline.Agreements;
using Brightline.Data.Entities;

namespace Brightline.Pages.Agreements.Sign;

public sealed record SignItem(Person Person, RequiredAgreement Agreement, bool ForSelf, string Link);
