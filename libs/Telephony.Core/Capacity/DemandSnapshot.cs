namespace Telephony.Core.Capacity;

/// <summary>What capacity analysis sees at one instant (all tenants together).</summary>
/// <param name="At">When it was taken.</param>
/// <param name="AdmittedTotal">Calls admitted since the beginning (sum of every tenant's pacing counter).</param>
/// <param name="BacklogDue">Admitted calls whose release slot falls within the forecast horizon.</param>
/// <param name="BacklogTotal">All admitted calls still waiting for their release slot.</param>
/// <param name="Waiting">Released calls no node has taken yet (visible dispatch messages): unmet demand now.</param>
/// <param name="ActiveCalls">Calls running on live nodes.</param>
/// <param name="LiveNodes">Nodes starting or ready, with a fresh heartbeat.</param>
/// <param name="NodeCapacity">Slots per node (the nodes' reported capacity, else the default).</param>
/// <param name="DrainingCalls">Calls still running on draining nodes: not capacity to plan for, but not ended either.</param>
public sealed record DemandSnapshot(
    DateTimeOffset At, long AdmittedTotal, int BacklogDue, int BacklogTotal, int Waiting, int ActiveCalls, int LiveNodes, int NodeCapacity, int DrainingCalls = 0);
