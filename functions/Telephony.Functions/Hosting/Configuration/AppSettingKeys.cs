using System.Reflection;
using Telephony.Core.Capacity;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.Functions.Api;
using Telephony.Functions.Api.Endpoints;
using Telephony.Functions.Functions;
using Telephony.Functions.Functions.Callbacks;
using Telephony.Functions.Hosting.Local;
using Telephony.Functions.Nodes;
using Telephony.Functions.Provisioning;
using Telephony.Hosting.Telemetry;

namespace Telephony.Functions.Hosting.Configuration;

/// <summary>One configuration key the functions program reads; <see cref="Required"/> when it has no usable default in Azure.</summary>
internal sealed record AppSettingKey(string Key, bool Required);

/// <summary>
/// Every configuration key the functions program reads, built from the constants and options types the code reads
/// them through (an options section contributes one key per settable property), so a new setting or option appears
/// here by itself. The deployment tests compare it with the app settings infra/main.bicep writes.
/// </summary>
internal static class AppSettingKeys
{
    /// <summary>Settings the Functions host itself reads (the program never does), also written by the bicep.</summary>
    public static IReadOnlyList<string> HostOnly { get; } = [StorageSettings.Key + ":credential"];

    public static IReadOnlyList<AppSettingKey> All { get; } =
    [
        // Storage the identity-based way, as in Azure (a connection string is the local alternative).
        new(StorageSettings.Key, false),
        new(StorageSettings.BlobServiceUriKey, true),
        new(StorageSettings.QueueServiceUriKey, true),
        new(StorageSettings.TableServiceUriKey, true),
        new(StorageSettings.ClientIdKey, false),
        new(HostModes.ConfigurationKey, false),
        new(ApiOptions.AdminKeySetting, true),
        new(NodeKeyVerifier.Setting, true),
        new(SecretSealer.Setting, true),
        new(NodeApiComposition.AllowInternalSetting, false),
        new(TelephonyApi.AnyNumberSetting, false),
        new(RecordingMp3Encoder.FfmpegSetting, false),
        new(AllocateNodesFunction.ProvisionerSetting, false),
        new(TelemetrySetup.OtlpEndpointKey, false),
        new(TelemetrySetup.ApplicationInsightsKey, false),
        new(TelemetrySetup.ApplicationInsightsAuthenticationKey, false),
        .. Section(ApiOptions.Section, typeof(ApiOptions)),
        .. Section(CallbackDeliveryOptions.Section, typeof(CallbackDeliveryOptions)),
        .. Section(CapacitySettings.Section, typeof(CapacitySettings)),
        .. Section(LocalProvisionerOptions.Section, typeof(LocalProvisionerOptions)),
        .. Section(ContainerInstanceOptions.Section, typeof(ContainerInstanceOptions)),

        // Local host mode only (./run.sh); defaults find everything in the repository.
        new(FunctionsHosting.LocalUrlsKey, false),
        new(SelfInvoker.AddressKey, false),
        new(AzuriteLauncher.ScriptKey, false),
        new(AzuriteLauncher.InMemoryKey, false),
        new(AzuriteLauncher.DataDirectoryKey, false),
        new(AzuriteLauncher.BlobPortKey, false),
        new(AzuriteLauncher.QueuePortKey, false),
        new(AzuriteLauncher.TablePortKey, false),
        new(FunctionApp.HostJsonKey, false),
        new(FunctionApp.FunctionsDirectoryKey, false),
    ];

    /// <summary>One key per settable public property: what configuration binding reads for the section.</summary>
    private static IEnumerable<AppSettingKey> Section(string section, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => new AppSettingKey(section + ":" + p.Name, false));
}
