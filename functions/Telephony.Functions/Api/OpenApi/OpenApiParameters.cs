using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Telephony.Functions.Api.OpenApi;

/// <summary>
/// Documents Twilio-style parameters in the OpenAPI document. Handlers read the form or query
/// themselves (so unknown parameters can be refused), which hides them from the generator.
/// </summary>
internal static class OpenApiParameters
{
    /// <summary>Form fields of a POST body (<c>application/x-www-form-urlencoded</c>); names in <paramref name="required"/> are mandatory.</summary>
    public static TBuilder FormFields<TBuilder>(this TBuilder builder, string[] required, params string[] optional)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = required.Concat(optional).ToDictionary(n => n, n => (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String }),
                Required = new HashSet<string>(required),
            };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = required.Length > 0,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/x-www-form-urlencoded"] = new() { Schema = schema } },
            };
            return Task.CompletedTask;
        });

    /// <summary>Optional query-string parameters of a GET.</summary>
    public static TBuilder QueryFields<TBuilder>(this TBuilder builder, params string[] names)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var name in names)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            return Task.CompletedTask;
        });

    public static readonly string[] Paging = ["PageSize", "Page", "PageToken"];
}
