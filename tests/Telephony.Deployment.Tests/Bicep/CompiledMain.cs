namespace Telephony.Deployment.Tests.Bicep;

/// <summary>Class fixture: infra/main.bicep compiled once by the bicep CLI; a compile with any diagnostic fails every test using it.</summary>
public sealed class CompiledMain : IAsyncLifetime
{
    private CompiledTemplate? _template;

    public CompiledTemplate Template => _template ?? throw new InvalidOperationException("not compiled");

    public async Task InitializeAsync()
    {
        var result = await BicepCli.RunAsync(["build", "main.bicep", "--stdout"]);
        if (result.ExitCode != 0 || BicepCli.Diagnostics(result).Count != 0)
        {
            throw new InvalidOperationException($"bicep build main.bicep failed or reported diagnostics:{Environment.NewLine}{result.StandardError}");
        }

        _template = CompiledTemplate.Parse(result.StandardOutput);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
