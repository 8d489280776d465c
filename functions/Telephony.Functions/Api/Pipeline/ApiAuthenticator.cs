using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Limits;

namespace Telephony.Functions.Api.Pipeline;

/// <summary>
/// HTTP Basic authentication for the API, then the per-account rate limit. The caller is kept in
/// <see cref="HttpContext.Items"/> for the handlers (<see cref="Caller"/>).
/// </summary>
internal sealed partial class ApiAuthenticator(CredentialVerifier verifier, AccountRateLimiter limiter, ILogger<ApiAuthenticator> logger)
{
    private static readonly object CallerKey = new();

    public static ApiCaller Caller(HttpContext context) =>
        context.Items[CallerKey] as ApiCaller ?? throw new InvalidOperationException("the endpoint has no authentication filter");

    /// <summary>Authenticates; the path's account, when there is one, must be the caller's own (or the operator's, where allowed).</summary>
    public async Task<ApiCaller> AuthenticateAsync(HttpContext context, string? pathAccountSid, bool operatorAllowed)
    {
        if (!TryReadBasic(context.Request.Headers.Authorization, out var user, out var secret))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Telephony API\"";
            throw new TwilioException(TwilioError.Authenticate());
        }

        ApiCaller caller;
        try
        {
            caller = await verifier.VerifyAsync(user, secret, pathAccountSid, context.RequestAborted);
        }
        catch (TwilioException)
        {
            LogRefused(logger, Truncate(user), context.Request.Path);
            throw;
        }

        if (caller.IsOperator ? !operatorAllowed : pathAccountSid is not null && caller.AccountSid != pathAccountSid)
        {
            // Valid credentials for another account: refused the way Twilio refuses them.
            LogForeignAccount(logger, caller.AccountSid, context.Request.Path);
            throw new TwilioException(TwilioError.Authenticate());
        }

        if (caller.AccountSid is { } account && !limiter.TryAcquire(account, out var retryAfter))
        {
            LogRateLimited(logger, account);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            throw new TwilioException(new TwilioError(TwilioErrorCodes.TooManyRequests, "Too Many Requests", 429));
        }

        context.Items[CallerKey] = caller;
        return caller;
    }

    private static string Truncate(string user) => user.Length <= 34 ? user : user[..34] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "API credentials refused for user {User} on {Path}")]
    private static partial void LogRefused(ILogger logger, string user, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountSid} refused on a foreign path {Path}")]
    private static partial void LogForeignAccount(ILogger logger, string? accountSid, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountSid} rate limited")]
    private static partial void LogRateLimited(ILogger logger, string accountSid);

    private static bool TryReadBasic(string? header, out string user, out string secret)
    {
        user = secret = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[256];
        if (!Convert.TryFromBase64String(value.Parameter, decoded, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(decoded[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        (user, secret) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}

/// <summary>Endpoint filters that run <see cref="ApiAuthenticator"/> before a handler.</summary>
internal static class AuthenticationFilters
{
    /// <summary>Resources under <c>Accounts/{AccountSid}/…</c>: only that account's own credentials.</summary>
    public static TBuilder RequireAccountOwner<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            await http.RequestServices.GetRequiredService<ApiAuthenticator>()
                .AuthenticateAsync(http, http.Request.RouteValues["AccountSid"] as string, operatorAllowed: false);
            return await next(context);
        });

    /// <summary>The Accounts resource itself: the operator, or a tenant for its own account.</summary>
    public static TBuilder RequireOperatorOrOwner<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            await http.RequestServices.GetRequiredService<ApiAuthenticator>()
                .AuthenticateAsync(http, http.Request.RouteValues["AccountSid"] as string, operatorAllowed: true);
            return await next(context);
        });
}
