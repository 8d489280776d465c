namespace Telephony.Sip.Auth;

/// <summary>Username and password for a trunk or registrar (realm-agnostic).</summary>
public sealed record DigestCredentials(string Username, string Password);
