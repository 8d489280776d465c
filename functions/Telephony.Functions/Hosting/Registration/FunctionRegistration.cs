using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting;

/// <summary>One non-HTTP function the program answers invocations for: its function.json folder name and handler type.</summary>
internal sealed record FunctionRegistration(string Name, TriggerKind Kind, Type HandlerType);

/// <summary>All registered functions by name (case-insensitive, like the host's function names).</summary>
internal sealed class FunctionRegistry
{
    private readonly Dictionary<string, FunctionRegistration> _byName = new(StringComparer.OrdinalIgnoreCase);

    public FunctionRegistry(IEnumerable<FunctionRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            if (!_byName.TryAdd(registration.Name, registration))
            {
                throw new InvalidOperationException($"Function '{registration.Name}' is registered twice.");
            }
        }
    }

    public IReadOnlyCollection<FunctionRegistration> All => _byName.Values;

    public FunctionRegistration? Find(string name) => _byName.GetValueOrDefault(name);
}
