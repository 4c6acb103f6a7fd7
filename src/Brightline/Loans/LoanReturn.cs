namespace Brightline.Loans;

/// <summary>What the person signing a device back in confirms (C15: back in the suite, on charge); ignored where the policy does not ask.</summary>
public sealed record LoanReturn(bool ReturnedToSuite, bool Charged);
