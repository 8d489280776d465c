namespace Telephony.Core.Accounts;

public enum AccountStatus
{
    Active,
    Suspended,
    Closed,
}

public static class AccountStatusNames
{
    public static string ToWire(AccountStatus status) => status switch
    {
        AccountStatus.Active => "active",
        AccountStatus.Suspended => "suspended",
        AccountStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static AccountStatus Parse(string? text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"unknown account status '{text}'");

    public static bool TryParse(string? text, out AccountStatus status)
    {
        switch (text)
        {
            case "active": status = AccountStatus.Active; return true;
            case "suspended": status = AccountStatus.Suspended; return true;
            case "closed": status = AccountStatus.Closed; return true;
            default: status = default; return false;
        }
    }
}
