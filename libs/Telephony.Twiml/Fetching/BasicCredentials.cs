using System.Net.Http.Headers;
using System.Text;

namespace Telephony.Twiml.Fetching;

/// <summary>Twilio's URL-embedded HTTP Basic credentials (<c>https://user:pass@host/…</c>).</summary>
internal static class BasicCredentials
{
    /// <summary>Removes the user info from <paramref name="url"/> and returns it as a Basic Authorization header.</summary>
    public static AuthenticationHeaderValue? Take(ref Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return null;
        }

        var userInfo = Uri.UnescapeDataString(url.UserInfo);
        url = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri;
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }
}
