namespace Telephony.Core.Numbers;

/// <summary>Number provisioning rules.</summary>
public sealed class PhoneNumberOptions
{
    /// <summary>
    /// While the operator's inventory is empty, any valid E.164 number may be taken (local mode and tests);
    /// once the inventory has a number, only free inventory numbers can be.
    /// </summary>
    public bool AnyNumberWhenInventoryEmpty { get; set; } = true;
}
