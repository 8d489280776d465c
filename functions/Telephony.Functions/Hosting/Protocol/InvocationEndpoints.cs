using System.Text.Json;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>
/// Maps <c>POST /{FunctionName}</c> for each registered queue/timer function, and nothing else: the
/// paths are the registered names only (never a catch-all), so they cannot shadow API routes.
/// </summary>
internal static class InvocationEndpoints
{
    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetService<FunctionRegistry>();
        foreach (var registration in registry?.All ?? [])
        {
            var name = registration.Name;
            endpoints.MapPost("/" + name, (HttpContext context, FunctionInvoker invoker, ILogger<FunctionInvoker> logger) =>
                    HandleAsync(name, context, invoker, logger))
                .WithName("invoke-" + name)
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    private static async Task<IResult> HandleAsync(string name, HttpContext context, FunctionInvoker invoker, ILogger logger)
    {
        var registration = invoker.Find(name)!;
        var invocationId = context.Request.Headers[InvocationHeaders.InvocationId].ToString();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["FunctionName"] = name, ["InvocationId"] = invocationId });
        InvocationRequest request;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Invocation of {FunctionName} rejected: body is not JSON ({Error})", name, ex.Message);
            return Results.Json(InvocationResponse.Failed($"The invocation body is not valid JSON: {ex.Message}"), statusCode: StatusCodes.Status400BadRequest);
        }

        using (document)
        {
            try
            {
                request = InvocationRequest.Parse(document.RootElement);
                await invoker.InvokeAsync(registration, request, context.RequestAborted);
                return Results.Json(InvocationResponse.Empty);
            }
            catch (InvocationFormatException ex)
            {
                logger.LogWarning("Invocation of {FunctionName} rejected: {Error}", name, ex.Message);
                return Results.Json(InvocationResponse.Failed(ex.Message), statusCode: StatusCodes.Status400BadRequest);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // A failed function answers 500 so the host retries the message and eventually poisons it.
                logger.LogError(ex, "Function {FunctionName} failed", name);
                return Results.Json(InvocationResponse.Failed($"{name} failed: {ex.GetType().Name}: {ex.Message}"), statusCode: StatusCodes.Status500InternalServerError);
            }
        }
    }
}
