namespace Telephony.MediaNode.Tests;

/// <summary>
/// Tests that start several processes of their own (node processes, a second Azurite, a 200-call batch) run in this
/// collection: after every parallel collection has finished, one at a time, so their load never starves the pacers
/// of the real-time audio tests running beside them on a two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloCollection
{
    public const string Name = "processes of their own, run alone";
}
