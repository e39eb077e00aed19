using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansScaling.Silo.Hosting;

internal static class Health
{
    private const string Ready = "ready";
    private const string Live = "live";

    public static void AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StorageReachability>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageReachability>());
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [Ready])
            .AddCheck<StorageHealthCheck>("storage", tags: [Ready])
            .AddCheck<StorageReachability>("storage-reachable", tags: [Live]);
    }

    /// <summary>
    /// Live: the process answers and storage has not been unreachable for longer than
    /// <c>Health:StorageUnreachableThreshold</c> (default 60 s). Ready: this silo is in the cluster and storage answers.
    /// </summary>
    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Live) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
    }
}

/// <summary>Ready once this silo is an active member of the cluster, as the membership table says.</summary>
internal sealed class ClusterHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} active; {active} active silo(s)")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}"));
    }
}

internal sealed class StorageHealthCheck(IConfiguration configuration) : IHealthCheck
{
    private readonly Lazy<BlobServiceClient> _blobs = new(() => new BlobServiceClient(configuration.GetConnectionString(LocalStorage.ConnectionName)));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await _blobs.Value.GetPropertiesAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("blob storage does not answer", e);
        }
    }
}

/// <summary>
/// Probes blob storage every <c>Health:StorageProbeInterval</c> (default 2 s, 5 s timeout) and says unhealthy when it
/// has not answered for longer than <c>Health:StorageUnreachableThreshold</c> (default 60 s): a host whose storage is
/// gone for good should be restarted by its supervisor, one whose storage blinked should not.
/// </summary>
internal sealed class StorageReachability(IConfiguration configuration, ILogger<StorageReachability> logger) : BackgroundService, IHealthCheck
{
    private readonly TimeSpan _threshold = configuration.GetValue("Health:StorageUnreachableThreshold", TimeSpan.FromSeconds(60));
    private readonly TimeSpan _interval = configuration.GetValue("Health:StorageProbeInterval", TimeSpan.FromSeconds(2));
    private long _lastReachable = TimeProvider.System.GetTimestamp();
    private bool _down;

    public TimeSpan Unreachable => TimeProvider.System.GetElapsedTime(Interlocked.Read(ref _lastReachable));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var blobs = new BlobServiceClient(configuration.GetConnectionString(LocalStorage.ConnectionName),
            new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await blobs.GetPropertiesAsync(stoppingToken);
                Interlocked.Exchange(ref _lastReachable, TimeProvider.System.GetTimestamp());
                if (_down)
                    logger.LogInformation("Blob storage answers again");
                _down = false;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!_down)
                    logger.LogWarning("Blob storage does not answer: {Reason}", e.GetBaseException().Message);
                _down = true;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Task.Delay(_interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unreachable = Unreachable;
        return Task.FromResult(unreachable > _threshold
            ? HealthCheckResult.Unhealthy($"blob storage has not answered for {unreachable.TotalSeconds:F0} s (threshold {_threshold.TotalSeconds:F0} s)")
            : HealthCheckResult.Healthy());
    }
}
