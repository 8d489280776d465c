using System.Net.Http.Headers;

namespace Telephony.Twiml.Remote;

/// <summary>The node-facing endpoints of the functions app (see docs/NODE-API.md) and how a node authenticates.</summary>
public static class NodeApi
{
    public const string InstructionsPath = "node/v1/instructions";

    /// <summary>Nodes present the shared node key (<c>Telephony:NodeKey</c>) as a bearer token.</summary>
    public static AuthenticationHeaderValue Authorization(string nodeKey) => new("Bearer", nodeKey);
}
