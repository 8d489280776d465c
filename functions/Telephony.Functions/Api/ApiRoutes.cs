namespace Telephony.Functions.Api;

/// <summary>The API's URI shapes, shared by routing and the <c>uri</c> fields of resources.</summary>
internal static class ApiRoutes
{
    public const string Version = "/2010-04-01";

    public static string Accounts => Version + "/Accounts.json";

    public static string Account(string accountSid) => $"{Version}/Accounts/{accountSid}.json";

    public static string Calls(string accountSid) => $"{Version}/Accounts/{accountSid}/Calls.json";

    public static string Call(string accountSid, string callSid) => $"{Version}/Accounts/{accountSid}/Calls/{callSid}.json";

    public static string CallSubresource(string accountSid, string callSid, string name) =>
        $"{Version}/Accounts/{accountSid}/Calls/{callSid}/{name}.json";

    public static string Keys(string accountSid) => $"{Version}/Accounts/{accountSid}/Keys.json";

    public static string Key(string accountSid, string keySid) => $"{Version}/Accounts/{accountSid}/Keys/{keySid}.json";

    public static string IncomingPhoneNumbers(string accountSid) => $"{Version}/Accounts/{accountSid}/IncomingPhoneNumbers.json";

    public static string IncomingPhoneNumber(string accountSid, string sid) => $"{Version}/Accounts/{accountSid}/IncomingPhoneNumbers/{sid}.json";

    public static string Recordings(string accountSid) => $"{Version}/Accounts/{accountSid}/Recordings.json";

    public static string Notifications(string accountSid) => $"{Version}/Accounts/{accountSid}/Notifications.json";

    public static string Notification(string accountSid, string sid) => $"{Version}/Accounts/{accountSid}/Notifications/{sid}.json";

    public static string CallBatches(string accountSid) => $"/v1/Accounts/{accountSid}/CallBatches";

    public static string CallBatch(string accountSid, string sid) => $"/v1/Accounts/{accountSid}/CallBatches/{sid}";

    public static string Recording(string accountSid, string sid) => Core.Recordings.RecordingPaths.Media(accountSid, sid) + ".json";
}
