using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Accounts;
using Telephony.Core.Admission;
using Telephony.Core.Calls;
using Telephony.Core.Dispatch;
using Telephony.Core.Limits;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Notifications;
using Telephony.Core.Presence;
using Telephony.Core.Recordings;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.Media.Cache;
using Telephony.Media.Remote;
using Telephony.MediaNode.Bridging;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Configuration;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Inbound;
using Telephony.MediaNode.Presence;
using Telephony.MediaNode.Prompts;
using Telephony.MediaNode.Recording;
using Telephony.MediaNode.Work;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Remote;

namespace Telephony.MediaNode;

/// <summary>The node's composition: settings, storage, the SIP user agent, call running and the background workers.</summary>
public static class NodeHosting
{
    public const string StorageKey = StorageSettings.Key;
    public const string NodeKeyKey = "Telephony:NodeKey";
    public const string UrlsKey = "Telephony:MediaNode:Urls";
    public const string DefaultUrl = "http://127.0.0.1:7072";
    private const string FunctionsClient = "functions";

    public static WebApplicationBuilder AddMediaNodeHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(builder.Configuration[UrlsKey] ?? DefaultUrl);
        }

        // A connection string (Azurite, run.sh) or managed-identity service URIs (Azure); fails fast when neither.
        var storage = StorageSettings.CreateClients(key => builder.Configuration[key]);

        var options = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        if (string.IsNullOrWhiteSpace(options.PublicAddress) && !string.IsNullOrWhiteSpace(options.PublicHostName))
        {
            // Once, at start-up, before any SIP traffic: nothing can be advertised without it (up to a minute).
            options.PublicAddress = PublicAddressResolver
                .ResolveAsync(options.PublicHostName, attempts: 30, TimeSpan.FromSeconds(2), TimeProvider.System)
                .GetAwaiter().GetResult().ToString();
        }

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(storage);
        services.AddSingleton(options);
        services.AddSingleton(sp => new NodeIdentity(NodeIdentity.ChooseId(options.Id), sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddSingleton(_ => new ActiveCalls(Math.Max(1, options.MaxConcurrentCalls)));
        services.AddSingleton(sp => CreateUserAgent(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<BearerRegistrar>()));
        services.AddSingleton(sp => new TrunkRouter([.. options.Trunks.Select(t => new Trunk(t))]));
        services.AddSingleton<OutboundDialer>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<NodeStore>();
        services.AddSingleton<NodeCallIndex>();
        services.AddSingleton<NodeCallFinalizer>();
        services.AddSingleton<CallStatusWriter>();
        // Registered before everything that runs calls: hosted services stop in reverse, so it writes the last notes.
        services.AddHostedService<CallNotesFlusher>();
        AddPresence(services, options, builder.Configuration[SecretSealer.Setting], builder.Configuration[NodeKeyKey]);
        services.AddSingleton<MessageQueue>();
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RecordingPublisher>();
        services.AddSingleton<RecordVerbRecorder>();
        services.AddSingleton<DialRecorder>();
        AddDispatch(services, options);
        var nodeKey = builder.Configuration[NodeKeyKey];
        if (!string.IsNullOrWhiteSpace(options.FunctionsUrl) && !string.IsNullOrWhiteSpace(nodeKey))
        {
            AddRemoteFunctions(services, new Uri(options.FunctionsUrl), nodeKey);
        }
        else
        {
            AddInProcessMedia(services, options);
        }

        services.AddSingleton(sp => new CallInterpreter(
            sp.GetRequiredService<IInstructionSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CallInterpreter>>()));
        AddDialBridge(services, options);
        services.AddSingleton<CallLauncher>();
        services.AddSingleton(sp => new NodeHeartbeat(
            sp.GetRequiredService<NodeStore>(), sp.GetRequiredService<NodeCallFinalizer>(), sp.GetRequiredService<NodeCallIndex>(), sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<ActiveCalls>(),
            sp.GetRequiredService<TenantConcurrency>(), sp.GetRequiredService<TrunkChannels>(), options,
            AdvertisedSipAddress(options, sp.GetRequiredService<SipUserAgent>()), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NodeHeartbeat>>()));
        services.AddHostedService(sp => sp.GetRequiredService<NodeHeartbeat>());
        services.AddHostedService<DispatchWorker>();
        services.AddHostedService<ControlWorker>();
        services.AddInboundCalls();
        return builder;
    }

    /// <summary>
    /// Client registration (RFC 8898 Bearer REGISTER): AccessTokens are verified against the tenant's API keys, whose
    /// sealed secrets open with the platform's <c>Telephony:SecretsKey</c> (the same value the API has). Calls to clients
    /// registered on another node are relayed through it, signed with the shared node key.
    /// </summary>
    private static void AddPresence(IServiceCollection services, NodeOptions options, string? secretsKey, string? nodeKey)
    {
        services.TryAddSingleton(_ => new SecretSealer(secretsKey));
        services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SecretSealer>()));
        services.AddSingleton(sp => new AccessTokenVerifier(
            sp.GetRequiredService<AccountStore>(), sp.GetRequiredService<ApiKeyStore>(), sp.GetRequiredService<SecretSealer>(),
            sp.GetRequiredService<TimeProvider>(), options.TokenIssuerFreshness));
        services.AddSingleton<PresenceRegistry>();
        services.AddSingleton(sp => new BearerRegistrarOptions { NodeId = sp.GetRequiredService<NodeIdentity>().Id });
        services.AddSingleton<BearerRegistrar>();
        services.AddSingleton<ClientCallRouter>();
        services.AddSingleton(sp => new RelaySignature(nodeKey, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ClientRoutes>();
        services.AddSingleton<ClientRelay>();
        services.AddHostedService<PresenceHousekeeping>();
    }

    /// <summary>
    /// &lt;Dial&gt; on this node: one resolver per noun kind (Number through the trunks, Sip directly, Client through
    /// presence). Another kind plugs in by registering its own <see cref="IDialTargetResolver"/>.
    /// </summary>
    private static void AddDialBridge(IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton<IDialTargetResolver, NumberTargetResolver>();
        services.AddSingleton<IDialTargetResolver>(sp => new SipTargetResolver(options.AllowInternalAddresses, sp.GetRequiredService<ILogger<SipTargetResolver>>()));
        services.AddSingleton<ClientTargetResolver>();
        services.AddSingleton<IDialTargetResolver>(sp => sp.GetRequiredService<ClientTargetResolver>());
        services.AddSingleton<ClientDialer>();
        services.AddSingleton<DialTargetResolution>();
        services.AddSingleton<DialWhisper>();
        services.AddSingleton<DialLegSlots>();
        services.AddSingleton<DialBridge>();
    }

    /// <summary>Fair pulling from the tenants' dispatch queues with their concurrency limits (libs/Telephony.Core/Dispatch).</summary>
    private static void AddDispatch(IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton<AdmissionStore>();
        services.AddSingleton(sp => new DispatchQueues(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>(), options.DispatchQueueRefresh));
        services.AddSingleton(sp => new TenantConcurrency(
            sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<NodeIdentity>().Id, sp.GetRequiredService<TimeProvider>(),
            options.TenantCallsExpiry, sp.GetRequiredService<ILogger<TenantConcurrency>>()));
        services.AddSingleton<DispatchPuller>();
        services.AddSingleton(sp => new TrunkChannels(
            sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<NodeIdentity>().Id, sp.GetRequiredService<TimeProvider>(),
            options.TenantCallsExpiry, sp.GetRequiredService<ILogger<TrunkChannels>>()));
        services.AddSingleton<TrunkPacing>();

        // Inbound calls and Dial legs take their tenant's slots outside dispatch (docs/CAPACITY.md).
        services.AddSingleton<TenantCallSlots>();
        services.AddSingleton(sp => new NotificationStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>Programs and prompts from the functions app (<c>instructions</c>, <c>media</c>): the node never holds tenants' auth tokens.</summary>
    private static void AddRemoteFunctions(IServiceCollection services, Uri functionsUrl, string nodeKey)
    {
        services.AddHttpClient(FunctionsClient, http => http.Timeout = TimeSpan.FromSeconds(60));
        services.AddSingleton<IInstructionSource>(sp => new RecordedFetches(
            new RemoteInstructionSource(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(FunctionsClient), functionsUrl, nodeKey,
                sp.GetRequiredService<ILogger<RemoteInstructionSource>>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<CallStatusWriter>()));
        services.AddSingleton<IPromptAudio>(sp =>
        {
            var remote = new RemotePromptAudio(new RemoteMediaClient(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(FunctionsClient), functionsUrl, nodeKey));
            var memory = sp.GetRequiredService<NodeOptions>().SpeechMemorySamples;
            return memory > 0 ? new SpeechPromptMemory(remote, memory) : remote;
        });
    }

    /// <summary>Programs fetched and prompts produced in this process (local runs and tests without the node endpoints).</summary>
    private static void AddInProcessMedia(IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton<IInstructionSource>(sp => new InstructionFetcher(
            new InstructionFetcherOptions { AllowInternalAddresses = options.AllowInternalAddresses },
            sp.GetRequiredService<ILogger<InstructionFetcher>>()));
        services.AddSingleton(sp => MediaCache.Create(
            sp.GetRequiredService<StorageClients>().Container(options.MediaContainer),
            new MediaCacheOptions { AllowPrivateAddresses = options.AllowInternalAddresses },
            time: sp.GetRequiredService<TimeProvider>(),
            loggers: sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IPromptAudio, CachedPromptAudio>();
    }

    private static SipUserAgent CreateUserAgent(NodeOptions options, TimeProvider time, ILoggerFactory loggers, BearerRegistrar registrar)
    {
        var listen = new List<SipEndPoint>();
        foreach (var text in options.SipListen.Count > 0 ? options.SipListen : [NodeOptions.DefaultSipListen])
        {
            if (!SipEndPoint.TryParse(text, out var endPoint))
            {
                throw new InvalidOperationException($"{NodeOptions.Section}:SipListen: '{text}' is not an end point like udp:127.0.0.1:5080");
            }

            listen.Add(endPoint);
        }

        IPAddress? advertised = null;
        if (!string.IsNullOrWhiteSpace(options.PublicAddress) && !IPAddress.TryParse(options.PublicAddress, out advertised))
        {
            throw new InvalidOperationException($"{NodeOptions.Section}:PublicAddress: '{options.PublicAddress}' is not an IP address");
        }

        if (!IPAddress.TryParse(options.RtpAddress, out var rtpAddress))
        {
            throw new InvalidOperationException($"{NodeOptions.Section}:RtpAddress: '{options.RtpAddress}' is not an IP address");
        }

        return new SipUserAgent(new SipUserAgentOptions
        {
            Listen = listen,
            Stack = new SipStackOptions { Time = time, LoggerFactory = loggers, AdvertisedAddress = advertised },
            Media = new RtpSessionOptions { LocalAddress = rtpAddress, MinPort = options.RtpPortMin, MaxPort = options.RtpPortMax, TimeProvider = time },
            Pacer = new RtpPacerOptions { RealtimePriority = options.PacerRealtimePriority },
            RegisterHandler = (register, cancellationToken) => new ValueTask<SipResponse>(registrar.HandleAsync(register, cancellationToken)),
        });
    }

    private static string AdvertisedSipAddress(NodeOptions options, SipUserAgent agent)
    {
        var local = agent.LocalEndPoint(agent.Stack.Transports[0].Kind);
        return options.PublicAddress is { Length: > 0 } address
            ? $"{local.TransportName.ToLowerInvariant()}:{address}:{local.Address.Port}"
            : local.ToString();
    }
}
