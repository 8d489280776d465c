using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Capacity;

/// <summary>One request the ARM stand-in received.</summary>
internal sealed record ArmRequest(string Method, string Path, string Query, string? Authorization, string Body, DateTimeOffset At)
{
    public string? ApiVersion => System.Web.HttpUtility.ParseQueryString(Query)["api-version"];

    public string? this[string queryParameter] => System.Web.HttpUtility.ParseQueryString(Query)[queryParameter];
}

/// <summary>What the stand-in answers.</summary>
internal sealed record ArmAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A loopback HTTPS server standing in for Azure Resource Manager (the ARM pipeline refuses bearer tokens over
/// plain HTTP): a self-signed certificate the client pins, every request recorded, answers from the test.
/// </summary>
internal sealed class ArmStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ArmRequest> _requests = new();

    private ArmStandIn(WebApplication app, X509Certificate2 certificate, int port)
    {
        _app = app;
        Certificate = certificate;
        Endpoint = new Uri($"https://127.0.0.1:{port}/");
    }

    public Uri Endpoint { get; }

    public X509Certificate2 Certificate { get; }

    public Func<ArmRequest, ArmAnswer> Answer { get; set; } = _ => new ArmAnswer(404, """{"error":{"code":"NotFound","message":"no route"}}""");

    public IReadOnlyList<ArmRequest> Requests => [.. _requests];

    public static async Task<ArmStandIn> StartAsync()
    {
        var certificate = SelfSigned();
        var port = FreePorts.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new ArmStandIn(app, certificate, port);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    /// <summary>Accepts exactly the stand-in's certificate.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString() },
    };

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var request = new ArmRequest(
            context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync(), DateTimeOffset.UtcNow);
        _requests.Enqueue(request);
        var answer = Answer(request);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
