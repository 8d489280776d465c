namespace Telephony.Core.Accounts;

/// <summary>Who an authenticated API request comes from.</summary>
public sealed record ApiCaller
{
    private ApiCaller(bool isOperator, string? accountSid, string? keySid)
    {
        IsOperator = isOperator;
        AccountSid = accountSid;
        KeySid = keySid;
    }

    /// <summary>The platform operator (admin key): manages tenant accounts.</summary>
    public bool IsOperator { get; }

    /// <summary>The tenant account, for tenant callers.</summary>
    public string? AccountSid { get; }

    /// <summary>The API key used, when the tenant authenticated with one.</summary>
    public string? KeySid { get; }

    public static ApiCaller Operator { get; } = new(true, null, null);

    public static ApiCaller Tenant(string accountSid, string? keySid = null) => new(false, accountSid, keySid);
}
