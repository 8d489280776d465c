using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Deployment.Tests.Bicep;

/// <summary>
/// The function app's settings in infra/main.bicep against what the functions program reads (AppSettingKeys,
/// built from the code's own key constants and options types): nothing is written that nobody reads, and
/// nothing the program needs without a default is left out.
/// </summary>
public sealed class AppSettingsConsistencyTests(CompiledMain main) : IClassFixture<CompiledMain>
{
    private const string CreateObject = "createObject(";

    [Fact]
    public void Every_app_setting_the_bicep_writes_is_read_by_the_program_or_the_functions_host()
    {
        var read = AppSettingKeys.All.Select(k => k.Key).Concat(AppSettingKeys.HostOnly).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unread = BicepAppSettings().Where(key => !read.Contains(key)).ToList();

        Assert.True(unread.Count == 0, "written by infra/main.bicep but read by nothing: " + string.Join(", ", unread));
    }

    [Fact]
    public void Every_key_the_program_needs_without_a_default_is_set_by_the_bicep()
    {
        var written = BicepAppSettings().ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = AppSettingKeys.All.Where(k => k.Required && !written.Contains(k.Key)).Select(k => k.Key).ToList();

        Assert.True(missing.Count == 0, "read without a default but not set by infra/main.bicep: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_read_keys_include_every_property_of_the_options_sections()
    {
        var keys = AppSettingKeys.All.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);

        // Spot checks that the sections expand from the options types (a renamed property changes the key).
        Assert.Contains("Telephony:Api:MaxBodyBytes", keys);
        Assert.Contains("Telephony:Callbacks:MaxAttempts", keys);
        Assert.Contains("Telephony:Capacity:MaxNodes", keys);
        Assert.Contains("Telephony:Nodes:Image", keys);
        Assert.Equal(keys.Count, AppSettingKeys.All.Count);
    }

    /// <summary>
    /// The keys of the function app's appSettings, with ':' for '__'. The compiler inlines the bicep objects as
    /// <c>union(createObject('key', value, …), …)</c>: the keys are every createObject's even arguments.
    /// </summary>
    private List<string> BicepAppSettings()
    {
        var expression = main.Template.ModuleParameter("functionApp", "appSettings").GetString()!;
        var keys = new List<string>();
        for (var at = expression.IndexOf(CreateObject, StringComparison.Ordinal); at >= 0; at = expression.IndexOf(CreateObject, at + 1, StringComparison.Ordinal))
        {
            var arguments = Arguments(expression, at + CreateObject.Length);
            for (var i = 0; i < arguments.Count; i += 2)
            {
                Assert.True(arguments[i].StartsWith('\'') && arguments[i].EndsWith('\''), $"app setting name is not a literal: {arguments[i]}");
                keys.Add(arguments[i][1..^1].Replace("__", ":", StringComparison.Ordinal));
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    /// <summary>The top-level arguments of the call whose argument list starts at <paramref name="start"/>.</summary>
    private static List<string> Arguments(string expression, int start)
    {
        var arguments = new List<string>();
        var depth = 0;
        var quoted = false;
        var from = start;
        for (var i = start; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && (c == ',' || c == ')') && depth == 0)
            {
                arguments.Add(expression[from..i].Trim());
                from = i + 1;
                if (c == ')')
                {
                    return arguments;
                }
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
        }

        throw new InvalidOperationException("unbalanced expression: " + expression);
    }
}
