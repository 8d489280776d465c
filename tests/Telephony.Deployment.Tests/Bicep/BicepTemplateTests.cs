using System.Reflection;
using System.Text.Json;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;

namespace Telephony.Deployment.Tests.Bicep;

/// <summary>
/// CI checks of infra/ with the real bicep CLI: every file lints clean (infra/bicepconfig.json makes
/// every rule an error, and any diagnostic fails the test anyway), main.bicep compiles, and the
/// compiled template has the properties the platform relies on.
/// </summary>
public sealed class BicepTemplateTests(CompiledMain main) : IClassFixture<CompiledMain>
{
    private const string AdminKeyVariable = "TELEPHONY_ADMIN_KEY";

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(BicepCli.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(BicepCli.InfraDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Bicep_file_lints_with_no_diagnostics(string file)
    {
        var result = await BicepCli.RunAsync(["lint", file]);

        Assert.True(result.ExitCode == 0 && BicepCli.Diagnostics(result).Count == 0, $"bicep lint {file}:{Environment.NewLine}{result.Combined}");
    }

    [Fact]
    public async Task The_linter_configuration_turns_a_warning_into_a_failing_error()
    {
        var scratch = Directory.CreateTempSubdirectory("bicep-lint-");
        try
        {
            File.Copy(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json"), Path.Combine(scratch.FullName, "bicepconfig.json"));
            var file = Path.Combine(scratch.FullName, "unused.bicep");
            await File.WriteAllTextAsync(file, "param neverUsed string\n");

            var result = await BicepCli.RunAsync(["lint", file]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(BicepCli.Diagnostics(result), line => line.Contains(" : Error no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public void Main_compiles_with_no_diagnostics_and_uses_no_shared_keys()
    {
        var template = main.Template;

        var storage = template.Single("Microsoft.Storage/storageAccounts").Properties;
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.DoesNotContain("listKeys(", template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", template.Json, StringComparison.OrdinalIgnoreCase);

        // The host and the handler reach storage with the app's identity, one URI per service.
        var settings = template.ModuleParameter("functionApp", "appSettings").GetString()!;
        foreach (var key in new[] { "AzureWebJobsStorage__credential", "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri" })
        {
            Assert.Contains($"'{key}'", settings, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("'AzureWebJobsStorage'", settings, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_defines_a_flex_consumption_custom_handler_app_with_its_identity_and_outputs_the_api_url()
    {
        var template = main.Template;

        var plan = template.Single("Microsoft.Web/serverfarms").Definition.GetProperty("sku");
        Assert.Equal("FC1", plan.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("tier").GetString());

        var site = template.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.Definition.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", site.Definition.GetProperty("identity").GetProperty("type").GetString());
        var config = site.Properties.GetProperty("functionAppConfig");
        Assert.Equal("custom", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("SystemAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.True(site.Properties.GetProperty("httpsOnly").GetBoolean());

        // instructions and media are HTTP functions; Flex keeps them warm through the `http` group.
        var alwaysReady = template.ModuleParameter("functionApp", "alwaysReady").GetString()!;
        Assert.Contains("'name', 'http'", alwaysReady, StringComparison.Ordinal);

        Assert.True(template.Root.GetProperty("outputs").TryGetProperty("apiBaseUrl", out var apiBaseUrl));
        Assert.Contains("defaultHostName", apiBaseUrl.GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Main_grants_the_roles_the_functions_and_nodes_need_and_nothing_subscription_wide()
    {
        var template = main.Template;

        string[] required =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (host leases, deployment package)
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor (node resource group only)
            "7f951dda-4ed3-4680-a7ca-43fe172d538d", // AcrPull (node identity on the image registry)
        ];
        foreach (var role in required)
        {
            Assert.Contains(role, template.Json, StringComparison.OrdinalIgnoreCase);
        }

        // Two storage loops (app, nodes), secrets x2, telemetry x2, identity operator, node-group Contributor, AcrPull (when a registry is named).
        Assert.Equal(9, template.OfType("Microsoft.Authorization/roleAssignments").Count);

        // Contributor is assigned in the module deployed to the node resource group, not in the platform's.
        var nodeAccess = template.Resources.Single(r => r.SymbolicName == "nodeResourceGroupAccess");
        Assert.Contains("parameters('nodeResourceGroupName')", nodeAccess.Definition.GetProperty("resourceGroup").GetString(), StringComparison.Ordinal);
        Assert.Contains("b24988ac-6180-42a0-ab88-20f7382dd24c", nodeAccess.Definition.GetRawText(), StringComparison.Ordinal);
        var platformRoles = template.Resources.Single(r => r.SymbolicName == "roleAssignments").Definition.GetRawText();
        Assert.DoesNotContain("b24988ac-6180-42a0-ab88-20f7382dd24c", platformRoles, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_queues_and_tables_are_the_names_the_programs_use()
    {
        var template = main.Template;
        var variables = template.Root.GetProperty("variables");

        Assert.Equal(ConstantValues(typeof(QueueNames)), Strings(variables.GetProperty("queueNames")));
        Assert.Equal(ConstantValues(typeof(TableNames)), Strings(variables.GetProperty("tableNames")));
    }

    [Fact]
    public async Task Example_parameters_build_with_the_admin_key_from_the_environment_and_not_without_it()
    {
        var adminKey = "test-" + Guid.NewGuid().ToString("N");

        var otherKeys = new Dictionary<string, string?> { ["TELEPHONY_NODE_KEY"] = "node-" + Guid.NewGuid().ToString("N"), ["TELEPHONY_SECRETS_KEY"] = "secrets-" + Guid.NewGuid().ToString("N") };
        var withKey = await BicepCli.RunAsync(["build-params", "main.bicepparam", "--stdout"], new Dictionary<string, string?>(otherKeys) { [AdminKeyVariable] = adminKey });
        var withoutKey = await BicepCli.RunAsync(["build-params", "main.bicepparam", "--stdout"], new Dictionary<string, string?>(otherKeys) { [AdminKeyVariable] = null });

        Assert.True(withKey.ExitCode == 0 && BicepCli.Diagnostics(withKey).Count == 0, withKey.Combined);
        using var output = JsonDocument.Parse(withKey.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        Assert.Equal(adminKey, parameters.RootElement.GetProperty("parameters").GetProperty("adminKey").GetProperty("value").GetString());

        Assert.NotEqual(0, withoutKey.ExitCode);
        Assert.Contains(AdminKeyVariable, withoutKey.Combined, StringComparison.Ordinal);
    }

    private static SortedSet<string> ConstantValues(Type type) =>
        new(type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!), StringComparer.Ordinal);

    private static SortedSet<string> Strings(JsonElement array) =>
        new(array.EnumerateArray().Select(e => e.GetString()!), StringComparer.Ordinal);
}
