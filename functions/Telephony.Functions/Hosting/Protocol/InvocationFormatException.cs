namespace Telephony.Functions.Hosting.Protocol;

/// <summary>An invocation payload this program cannot read; answered with 400 (the host then retries or poisons).</summary>
internal sealed class InvocationFormatException(string message) : Exception(message);
